; Veil's Windows installer (NSIS 3, Unicode), built with makensis by
; scripts/build-windows-installer.sh. Per-machine: Program Files, HKLM, an
; uninstaller only an administrator can run, so an agent's own account can
; neither remove Veil nor stop it starting at sign-in.
;
; Written by hand rather than by the Tauri bundler: the bundler downloads its
; NSIS plugin (nsis_tauri_utils.dll) from GitHub at bundling time, and the
; build machines cannot reach GitHub. This script uses only the plugins
; Debian's nsis package ships.
;
; makensis -DVERSION=0.1.0 -DEXE=path\veil.exe -DOUTFILE=path\setup.exe
;          [-DWEBVIEW2LOADER=path\WebView2Loader.dll] veil.nsi
; Paths are relative to the repository root (makensis -NOCD from there).
;
; Silent install (Intune, SCCM, GPO startup scripts):  Veil_x64-setup.exe /S
; Silent removal:  "C:\Program Files\Veil\uninstall.exe" /S

; A 64-bit installer (Veil is 64-bit only): the registry's and Program
; Files' native views, and it runs where no 32-bit layer is installed.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !error "VERSION is not defined (makensis -DVERSION=x.y.z)"
!endif
!ifndef EXE
  !error "EXE is not defined (the path of veil.exe)"
!endif
!ifndef OUTFILE
  !error "OUTFILE is not defined (the installer to write)"
!endif

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include WinVer.nsh
!include FileFunc.nsh

!define PRODUCT "Veil"
!define PUBLISHER "Veil"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Veil"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
; The WebView2 runtime's client id (the same on every Windows).
!define WEBVIEW2_KEY "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Copyright (c) 2026 Veil. All rights reserved."

!define MUI_ICON "assets/icons/icon.ico"
!define MUI_UNICON "assets/icons/icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\veil.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Veil now"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Spanish"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Veil needs 64-bit Windows 10 or 11." /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "Veil needs Windows 10 or 11." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; Ends every running Veil (every account's) so its files can be replaced;
; each restarts at its next sign-in.
!macro StopVeil
  nsExec::ExecToLog '"$SYSDIR\taskkill.exe" /F /IM veil.exe'
  Pop $0
  Sleep 500
!macroend

Section "Veil" SecMain
  SectionIn RO
  !insertmacro StopVeil

  SetOutPath "$INSTDIR"
  File "/oname=veil.exe" "${EXE}"
  !ifdef WEBVIEW2LOADER
    File "/oname=WebView2Loader.dll" "${WEBVIEW2LOADER}"
  !endif
  File "/oname=policy.sample.toml" "packaging/policy.sample.toml"
  SetOutPath "$INSTDIR\policy-templates"
  File "/oname=veil.admx" "packaging/windows/veil.admx"
  SetOutPath "$INSTDIR\policy-templates\en-US"
  File "/oname=veil.adml" "packaging/windows/en-US/veil.adml"

  ; The machine policy's folder. %ProgramData% lets every account create
  ; folders it then owns, so an agent who made "Veil" first could write the
  ; policy; the folder is reset to administrators and SYSTEM (full) and
  ; users (read), inheriting nothing, whoever created it.
  CreateDirectory "$COMMONPROGRAMDATA\Veil"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$COMMONPROGRAMDATA\Veil" /setowner *S-1-5-32-544 /T /C /Q'
  Pop $0
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$COMMONPROGRAMDATA\Veil" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /T /C /Q'
  Pop $0
  ${If} $0 != 0
    DetailPrint "Could not restrict $COMMONPROGRAMDATA\Veil (icacls exit $0)"
  ${EndIf}

  ; Every account starts Veil at sign-in, as /etc/xdg/autostart does on
  ; Linux. An agent's start_at_login = false ends that start at once; policy
  ; can lock it on.
  WriteRegStr HKLM "${RUN_KEY}" "${PRODUCT}" '"$INSTDIR\veil.exe" --autostart'

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\veil.exe" "" "$INSTDIR\veil.exe" 0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\veil.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "URLInfoAbout" "https://veil.example.com"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ; Veil's windows need the WebView2 runtime (part of Windows 11, and of
  ; Windows 10 with current updates). Without it the tray, the guards and
  ; the shield still run; the windows say nothing. IT deploys the runtime
  ; with the Evergreen installer.
  ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "The Microsoft Edge WebView2 runtime is not installed: Veil's windows need it."
    MessageBox MB_ICONINFORMATION "Veil's windows need the Microsoft Edge WebView2 runtime, which this computer does not have. Your IT department can install it; the microphone and camera guards and the privacy shield work without it." /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  !insertmacro StopVeil
  DeleteRegValue HKLM "${RUN_KEY}" "${PRODUCT}"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$INSTDIR\veil.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\policy.sample.toml"
  Delete "$INSTDIR\policy-templates\en-US\veil.adml"
  RMDir "$INSTDIR\policy-templates\en-US"
  Delete "$INSTDIR\policy-templates\veil.admx"
  RMDir "$INSTDIR\policy-templates"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; Kept: the organization's policy (%ProgramData%\Veil) and each agent's
  ; audit log and training progress (%AppData%\Veil), which IT may still
  ; need; removing them is a separate, deliberate step.
SectionEnd
