# Las comprobaciones del dispositivo de «Este equipo»: el nombre de cada
# comprobación y por qué importa, lo que encontró, por qué no pudo saberlo
# y cómo corregirlo. Compartido por Rust (notificaciones, problemas) y las
# ventanas (la tarjeta). Los mismos ids que ../en/posture.ftl.
# Los argumentos ($reason, $error, $device, ...) son lo que informó el
# sistema o una sonda, en inglés; $after y $max son duraciones
# (check-duration-*).

## Las comprobaciones
check-disk-encryption-title = Cifrado del disco
check-disk-encryption-why = Si pierdes este portátil o te lo roban, un disco cifrado impide que se lean los datos de los clientes.
check-firewall-title = Cortafuegos
check-firewall-why = Una red doméstica está menos protegida que la de la oficina; un cortafuegos personal impide que otros equipos de esa red entren en este.
check-screen-lock-title = Bloqueo de pantalla
check-screen-lock-why = Una pantalla que se bloquea sola evita que tu familia o tus visitas vean datos de clientes cuando te levantas.
check-os-updates-title = Actualizaciones de seguridad
check-os-updates-why = Las actualizaciones de seguridad cierran los huecos que usan los atacantes; un equipo que maneja números de tarjeta debe tenerlas.
check-antivirus-title = Antivirus
check-antivirus-why = Tu organización exige que su antivirus funcione en todos los equipos que se usan para atender a clientes.
check-wifi-title = Seguridad de la red Wi-Fi
check-wifi-why = Una red Wi-Fi abierta o con WEP permite que cualquiera que esté cerca se conecte a tu red y vea su tráfico.
check-vpn-title = VPN
check-vpn-why = A los sistemas de tu organización se debe acceder a través de su VPN, para que el tráfico de trabajo vaya cifrado.
check-secure-boot-title = Arranque seguro
check-secure-boot-why = El arranque seguro (Secure Boot) detiene el malware que se carga antes que el sistema operativo, donde nada más puede verlo.

## Cuando una comprobación no puede saberlo, o no aplica
check-could-not-check = Veil no pudo comprobarlo: { $reason }.
check-does-not-apply = No aplica: { $reason }.

## Duraciones
check-duration-hours =
    { $count ->
        [one] 1 hora
       *[other] { $count } horas
    }
check-duration-minutes =
    { $count ->
        [one] 1 minuto
       *[other] { $count } minutos
    }
check-duration-seconds =
    { $count ->
        [one] 1 segundo
       *[other] { $count } segundos
    }
check-duration-two = { $first } y { $second }
check-duration-three = { $first }, { $second } y { $third }

## Cifrado del disco
check-disk-encryption-zfs = El disco del sistema usa el cifrado nativo de ZFS.
check-disk-encryption-luks = El disco del sistema está cifrado (LUKS).
check-disk-encryption-swap-plain = El disco del sistema está cifrado, pero el espacio de intercambio (swap) no: lo que la memoria escribe en él se puede leer desde un disco robado.
check-disk-encryption-fscrypt-only = Algunas carpetas están cifradas (fscrypt), pero el disco del sistema no, así que los demás archivos y el espacio de intercambio se pueden leer desde un disco robado.
check-disk-encryption-none = El disco que contiene el sistema no está cifrado.
check-disk-encryption-bitlocker-on = BitLocker protege la unidad del sistema.
check-disk-encryption-bitlocker-encrypting = BitLocker todavía está cifrando la unidad del sistema; esto quedará correcto cuando termine.
check-disk-encryption-bitlocker-suspended = BitLocker está suspendido en la unidad del sistema, así que el disco se puede leer sin la clave.
check-disk-encryption-bitlocker-decrypting = Se está desactivando BitLocker en la unidad del sistema.
check-disk-encryption-bitlocker-waiting = BitLocker está esperando la activación: la unidad está cifrada, pero su clave todavía no está protegida.
check-disk-encryption-bitlocker-off = BitLocker está desactivado en la unidad del sistema.
check-disk-encryption-filevault-on = FileVault está activado.
check-disk-encryption-filevault-encrypting = FileVault todavía está cifrando el disco; esto quedará correcto cuando termine.
check-disk-encryption-filevault-decrypting = Se está desactivando FileVault.
check-disk-encryption-filevault-off = FileVault está desactivado, así que el disco se puede leer si roban este Mac.
check-disk-encryption-reason-zfs = no se pudo leer la propiedad de cifrado del conjunto de datos ZFS
# $fs: el tipo de sistema de archivos de / (ext4, overlay, ...).
check-disk-encryption-reason-root-not-block = el dispositivo que contiene / (un sistema de archivos { $fs }) no es un dispositivo de bloques que Veil pueda seguir
check-disk-encryption-reason-root-unknown-fs = el dispositivo que contiene / (un sistema de archivos desconocido) no es un dispositivo de bloques que Veil pueda seguir
check-disk-encryption-reason-unlisted = el dispositivo de bloques { $device } (o uno de los que lo forman) no aparece en /sys/class/block
check-disk-encryption-reason-bitlocker-unreported = Windows no informó del estado de BitLocker en la unidad del sistema
check-disk-encryption-reason-bitlocker-unfamiliar = Windows informó de un estado de BitLocker desconocido ({ $state })
check-disk-encryption-reason-fdesetup-failed = no se pudo ejecutar fdesetup
check-disk-encryption-reason-fdesetup-unknown = Veil no reconoce la respuesta de fdesetup

## Cortafuegos
check-firewall-firewalld-accepts-all = firewalld está en ejecución, pero su zona predeterminada deja entrar todas las conexiones.
check-firewall-firewalld-running = firewalld está en ejecución y filtra las conexiones entrantes.
check-firewall-firewalld-stopped = firewalld está instalado, pero no está en ejecución.
check-firewall-ufw-inactive = ufw está configurado como activado, pero su servicio no está en ejecución.
check-firewall-ufw-configured = ufw está configurado como activado (leer sus reglas requiere permisos de administrador, así que Veil no puede verificarlas).
check-firewall-ufw-off = ufw está instalado, pero desactivado.
check-firewall-windows-on = Un cortafuegos protege todos los perfiles de red activos.
check-firewall-windows-off = El cortafuegos está desactivado en al menos un perfil de red activo.
check-firewall-macos-on = El cortafuegos de macOS está activado.
check-firewall-macos-off = El cortafuegos de macOS está desactivado.
check-firewall-reason-firewalld-error = firewalld no respondió: { $error }
check-firewall-reason-none-installed = no están instalados ni firewalld ni ufw, y las reglas de otros cortafuegos no se pueden leer sin permisos de administrador
check-firewall-reason-windows-unreported = ni el Centro de seguridad de Windows ni el Firewall de Windows informaron de un estado
check-firewall-reason-macos-unread = no se pudo leer el estado del cortafuegos de aplicaciones

## Bloqueo de pantalla
check-screen-lock-on = La pantalla se bloquea tras { $after } de inactividad.
check-screen-lock-too-late = La pantalla solo se bloquea tras { $after } de inactividad; tu organización pide { $max } o menos.
check-screen-lock-veil-shield = El protector de pantalla de Veil cubre la pantalla y bloquea la sesión tras { $after } de ausencia.
check-screen-lock-gnome-lockdown = El bloqueo de pantalla está deshabilitado en este equipo (restricción de GNOME).
check-screen-lock-gnome-off = El bloqueo automático de pantalla de GNOME está desactivado.
check-screen-lock-gnome-never-blanks = La pantalla nunca se apaga, así que GNOME nunca la bloquea.
check-screen-lock-kde-off = El bloqueo automático de pantalla de KDE está desactivado.
check-screen-lock-kde-timeout-zero = KDE nunca bloquea la pantalla por sí solo (tiempo de espera 0).
check-screen-lock-windows-off = Windows no se bloquea por sí solo: no hay límite de inactividad ni un salvapantallas protegido con contraseña.
check-screen-lock-macos-no-password = El Mac no pide la contraseña cuando se inicia el salvapantallas.
check-screen-lock-macos-no-screen-saver = El salvapantallas nunca se inicia por sí solo.
check-screen-lock-reason-macos-unread = no se pudieron leer los ajustes del bloqueo de pantalla
check-screen-lock-reason-no-desktop = no se reconoció ningún escritorio (XDG_CURRENT_DESKTOP está vacío)
check-screen-lock-reason-unknown-desktop = Veil no puede leer los ajustes del bloqueo de pantalla de este escritorio ({ $desktop })

## Actualizaciones de seguridad
check-os-updates-security-pending =
    { $count ->
        [one] Hay 1 actualización de seguridad esperando a instalarse.
       *[other] Hay { $count } actualizaciones de seguridad esperando a instalarse.
    }
# $days: más de 14.
check-os-updates-stale = Este equipo lleva { $days } días sin buscar actualizaciones, así que no puede saber qué le falta.
check-os-updates-linux-automatic-off = No hay actualizaciones de seguridad pendientes, pero las actualizaciones de seguridad automáticas (unattended-upgrades) están desactivadas.
check-os-updates-only-other-pending =
    { $count ->
        [one] No hay actualizaciones de seguridad pendientes (hay 1 actualización de otro tipo disponible).
       *[other] No hay actualizaciones de seguridad pendientes (hay { $count } actualizaciones de otro tipo disponibles).
    }
check-os-updates-none-pending = No hay actualizaciones pendientes.
# $build y $min: números de compilación de Windows (19045).
check-os-updates-windows-too-old = Windows está en la compilación { $build }; tu organización exige la { $min } o una posterior.
check-os-updates-windows-automatic = Windows instala las actualizaciones automáticamente.
check-os-updates-windows-automatic-off = Las actualizaciones automáticas de Windows están desactivadas.
check-os-updates-macos-too-old = macOS está en la versión { $version }; tu organización exige la { $min } o una posterior.
check-os-updates-macos-version = macOS { $version }.
check-os-updates-reason-no-packagekit = PackageKit no está instalado, así que no se pueden listar las actualizaciones pendientes
check-os-updates-reason-packagekit-error = PackageKit no respondió: { $error }
check-os-updates-reason-windows-build = Windows no informó de su número de compilación
check-os-updates-reason-windows-update-unread = no se pudieron leer los ajustes de Windows Update
check-os-updates-reason-macos-version = no se pudo leer la versión de macOS

## Antivirus
check-antivirus-on = El antivirus está activado y al día.
check-antivirus-signatures-stale = El antivirus está activado, pero sus definiciones de virus están desactualizadas.
check-antivirus-off = No hay ningún antivirus activado.
check-antivirus-running = El antivirus obligatorio está en ejecución.
check-antivirus-not-running = El antivirus que exige tu organización no está en ejecución.
check-antivirus-not-named = tu organización no indica ningún antivirus para este sistema
check-antivirus-reason-wsc-none = el Centro de seguridad de Windows no informó de ningún antivirus (puede que no funcione en esta edición)
check-antivirus-reason-processes-unlisted = no se pudieron listar los programas en ejecución

## Wi-Fi y VPN
# $security: el nombre del estándar (WPA3, WPA2, WPA2-Enterprise, Enhanced Open (OWE)).
check-wifi-protected = La red Wi-Fi está protegida con { $security }.
check-wifi-weak-wpa1 = La red Wi-Fi que usa este equipo está protegida con el antiguo WPA: cualquiera que esté cerca puede conectarse o leer su tráfico.
check-wifi-weak-wep = La red Wi-Fi que usa este equipo está protegida con WEP, que se puede romper en minutos: cualquiera que esté cerca puede conectarse o leer su tráfico.
check-wifi-weak-open = La red Wi-Fi que usa este equipo no tiene contraseña (está abierta): cualquiera que esté cerca puede conectarse o leer su tráfico.
check-wifi-not-connected = este equipo no está conectado a una red Wi-Fi
check-wifi-reason-no-networkmanager = NetworkManager no está en ejecución
check-wifi-reason-windows-location = Windows necesita que Veil tenga permiso de ubicación para indicar qué seguridad Wi-Fi se usa
check-wifi-reason-windows-unfamiliar = Windows informó de una seguridad Wi-Fi desconocida ({ $value })
check-wifi-reason-macos-location = macOS necesita que Veil tenga permiso de ubicación para ver la seguridad Wi-Fi
check-wifi-reason-macos-unfamiliar = macOS informó de una seguridad Wi-Fi desconocida ({ $value })
check-vpn-connected = La VPN de la empresa está conectada.
check-vpn-down = La VPN de la empresa no está conectada.
check-vpn-not-required = tu organización no exige una VPN
check-vpn-reason-no-way-to-tell = NetworkManager no está en ejecución y la política no indica ninguna interfaz de VPN (posture.vpn_interfaces)

## Arranque seguro
check-secure-boot-on = El arranque seguro está activado.
check-secure-boot-off = El arranque seguro está desactivado en los ajustes del firmware.
check-secure-boot-legacy = Este equipo arranca en modo heredado (BIOS), que no tiene arranque seguro.
check-secure-boot-windows-legacy = Windows arranca en modo heredado (BIOS), que no tiene arranque seguro.
check-secure-boot-unsupported = El firmware no ofrece arranque seguro.
check-secure-boot-reason-efi-error = no se pudo leer la variable EFI SecureBoot: { $error }
check-secure-boot-reason-efi-unexpected = la variable EFI SecureBoot tiene un valor inesperado
check-secure-boot-reason-windows-unreported = Windows no informó del estado del arranque seguro
check-secure-boot-apple-silicon = los Mac con Apple silicon siempre arrancan solo un macOS firmado
check-secure-boot-reason-intel-mac = leer la política de arranque seguro de un Mac con Intel requiere permisos de administrador

## Cómo corregirlo: los pasos, por comprobación y sistema
check-disk-encryption-fix-windows-suspended-1 = Abre Panel de control > Cifrado de unidad BitLocker.
check-disk-encryption-fix-windows-suspended-2 = Junto a la unidad del sistema (C:), elige Reanudar protección.
check-disk-encryption-fix-windows-1 = Abre Configuración > Privacidad y seguridad > Cifrado de dispositivo (o Panel de control > Cifrado de unidad BitLocker).
check-disk-encryption-fix-windows-2 = Activa el cifrado de la unidad del sistema (C:) y guarda la clave de recuperación donde te indique TI.
check-disk-encryption-fix-windows-3 = Deja el equipo encendido y enchufado hasta que termine el cifrado.
check-disk-encryption-fix-macos-1 = Abre Ajustes del Sistema > Privacidad y seguridad > FileVault.
check-disk-encryption-fix-macos-2 = Elige Activar y guarda la clave de recuperación donde te indique TI.
check-disk-encryption-fix-linux-swap-1 = El espacio de intercambio (swap) en una partición sin cifrar puede guardar fragmentos de datos de clientes.
check-disk-encryption-fix-linux-swap-2 = Pide a TI que mueva el espacio de intercambio al volumen cifrado o a un intercambio cifrado (o zram).
check-disk-encryption-fix-linux-1 = Linux solo puede cifrar el disco del sistema al instalarse: pide a TI una instalación cifrada (LUKS).
check-disk-encryption-fix-linux-2 = Hasta entonces, no guardes datos de clientes en este equipo.
check-firewall-fix-windows-1 = Abre Seguridad de Windows > Firewall y protección de red.
check-firewall-fix-windows-2 = Activa el cortafuegos en la red marcada como (activo).
check-firewall-fix-macos-1 = Abre Ajustes del Sistema > Red > Firewall.
check-firewall-fix-macos-2 = Activa el cortafuegos.
check-firewall-fix-kde = Abre Preferencias del sistema > Cortafuegos y actívalo (te pedirá una contraseña de administrador).
check-firewall-fix-linux-1 = Activa el cortafuegos (hace falta una contraseña de administrador): ejecuta `sudo ufw enable`, o `sudo systemctl enable --now firewalld` si firewalld está instalado.
check-firewall-fix-linux-2 = Si no puedes, pide ayuda a TI.
check-screen-lock-fix-windows-1 = Abre Configuración > Cuentas > Opciones de inicio de sesión y, en «Si has estado ausente, ¿cuándo debe Windows pedirte que vuelvas a iniciar sesión?», elige «Cuando el equipo se reactive tras la suspensión».
check-screen-lock-fix-windows-2 = Abre Configuración > Personalización > Pantalla de bloqueo > Protector de pantalla, elige un salvapantallas y una espera de 15 minutos o menos, y marca «Mostrar la pantalla de inicio de sesión al reanudar».
check-screen-lock-fix-macos-1 = Abre Ajustes del Sistema > Pantalla bloqueada.
check-screen-lock-fix-macos-2 = Pon «Iniciar el salvapantallas si está inactivo» en 15 minutos o menos y «Solicitar contraseña tras iniciarse el salvapantallas» en Inmediatamente.
check-screen-lock-fix-gnome-1 = Abre Configuración > Privacidad > Bloqueo de pantalla (Configuración > Privacidad y seguridad > Bloqueo de pantalla en las versiones más recientes de GNOME).
check-screen-lock-fix-gnome-2 = Activa el bloqueo automático de la pantalla y ajusta el retardo para apagar la pantalla y el del bloqueo para que juntos sumen 15 minutos o menos.
check-screen-lock-fix-kde-1 = Abre Preferencias del sistema > Bloqueo de pantalla (Comportamiento del espacio de trabajo).
check-screen-lock-fix-kde-2 = Marca «Bloquear la pantalla automáticamente» y ponlo en 15 minutos o menos.
check-screen-lock-fix-linux-1 = Configura el salvapantallas de tu escritorio para que bloquee la pantalla tras 15 minutos o menos.
check-screen-lock-fix-linux-2 = Veil no puede leer el ajuste de este escritorio; pregunta a TI si el protector de pantalla de Veil cuenta en su lugar.
check-os-updates-fix-windows-1 = Abre Configuración > Windows Update y elige Buscar actualizaciones.
check-os-updates-fix-windows-2 = Instala lo que te ofrezca y reinicia cuando te lo pida.
check-os-updates-fix-macos-1 = Abre Ajustes del Sistema > General > Actualización de software.
check-os-updates-fix-macos-2 = Instala la actualización y activa las actualizaciones automáticas.
check-os-updates-fix-gnome = Abre Software > Actualizaciones, instala las actualizaciones y reinicia cuando te lo pida.
check-os-updates-fix-kde = Abre Discover > Actualizaciones, instala las actualizaciones y reinicia cuando te lo pida.
check-os-updates-fix-linux-automatic = Activa las actualizaciones de seguridad automáticas: `sudo dpkg-reconfigure -plow unattended-upgrades` (responde Sí).
check-os-updates-fix-linux = Instala las actualizaciones: `sudo apt update && sudo apt upgrade` (o la herramienta de actualización de tu sistema).
check-antivirus-fix-windows-1 = Abre Seguridad de Windows > Protección antivirus y contra amenazas.
check-antivirus-fix-windows-2 = Activa la protección en tiempo real y luego elige Actualizaciones de protección > Buscar actualizaciones.
check-antivirus-fix-other = El antivirus que exige tu organización no está en ejecución: reinicia el equipo y avisa a TI si sigue desactivado.
check-wifi-fix-1 = Cambia la seguridad Wi-Fi de tu router a WPA2 o WPA3 con una contraseña segura (consulta la etiqueta o el manual del router).
check-wifi-fix-2 = O bien, para trabajar, usa un cable de red o la zona Wi-Fi de tu teléfono con WPA2 o WPA3.
check-vpn-fix-1 = Conéctate a la VPN de la empresa antes de atender llamadas (con la aplicación de la VPN o desde el menú de red).
check-vpn-fix-2 = Si no se conecta, avisa a TI.
check-secure-boot-fix-1 = Reinicia el equipo y abre los ajustes de su firmware (UEFI) (suele ser con F2, F10, F12 o Supr al arrancar).
check-secure-boot-fix-2 = Activa Secure Boot (arranque seguro), guarda y reinicia. Si no estás seguro, pregunta a TI: un ajuste incorrecto del firmware puede impedir que el equipo arranque.

## El botón «Abrir ajustes»
check-open-device-encryption = Abrir el cifrado de dispositivo
check-open-firewall = Abrir los ajustes del cortafuegos
check-open-lock-screen = Abrir los ajustes de la pantalla de bloqueo
check-open-windows-update = Abrir Windows Update
check-open-virus-protection = Abrir la protección antivirus
check-open-wifi = Abrir los ajustes de Wi-Fi
check-open-vpn = Abrir los ajustes de VPN
check-open-filevault = Abrir los ajustes de FileVault
check-open-software-update = Abrir Actualización de software
check-open-screen-lock = Abrir los ajustes del bloqueo de pantalla
check-open-gnome-software = Abrir las actualizaciones de Software
check-open-network = Abrir los ajustes de red
check-open-device-security = Abrir la seguridad del dispositivo
check-open-screen-locking = Abrir los ajustes del bloqueo de pantalla
check-open-discover = Abrir las actualizaciones de Discover
check-open-connections = Abrir las conexiones
