# Los problemas que informa Veil, por código: un resumen breve (bandeja) y el
# mensaje (panel). Compartido por Rust y las ventanas.
# Los argumentos ($why, $error, $detail, ...) son lo que Veil observó, en inglés.

problem-store-unavailable-summary = El registro de auditoría no graba
problem-store-unavailable-message = No se pueden registrar los eventos de privacidad: { $why }
problem-policy-unusable-summary = La política de la organización no se puede usar
problem-policy-unusable-message = El archivo de política de tu organización no se puede usar y no se conoce ninguna versión anterior, así que Veil mantiene activado el modo privado y no se puede cerrar hasta que TI instale una válida.
problem-policy-file-errors-summary = El archivo de política tiene errores
problem-policy-file-errors-message = { $error }
problem-settings-file-errors-summary = El archivo de ajustes tiene errores
problem-settings-file-errors-message = { $error }
problem-shield-lock-failed-summary = Este equipo no puede bloquearse solo
problem-shield-lock-failed-message = Veil pidió a este equipo que se bloqueara y nada lo confirmó ({ $why }). Tu pantalla sigue cubierta hasta que vuelvas; bloquéala tú cuando te levantes y avisa a TI.
problem-shield-no-idle-time-summary = La pantalla no se cubre en tu ausencia
problem-shield-no-idle-time-message = Veil no puede saber cuándo te ausentas ({ $why }), así que no puede cubrir tu pantalla por sí solo. Usa «Proteger pantalla ahora» o bloquea el equipo cuando te levantes.
problem-camera-not-visible-summary = No se ve todo el uso de la cámara
problem-camera-not-visible-message = Veil no puede ver todos los usos de la cámara y del micrófono: { $why }.
problem-unapproved-camera-summary = { $app } está usando la cámara
problem-unapproved-camera-message = { $app } está usando { $device } ({ $exe }). Tu organización no lo ha aprobado; si no lo abriste tú, ciérralo y avisa a TI.
problem-unapproved-microphone-summary = { $app } está usando el micrófono
problem-unapproved-microphone-message = { $app } está usando { $device } ({ $exe }). Tu organización no lo ha aprobado; si no lo abriste tú, ciérralo y avisa a TI.
problem-fleet-unreachable-summary = No se informa a tu organización
problem-fleet-unreachable-message = Veil no puede contactar con el receptor { $kind } de tu organización ({ $endpoint }): { $error }. Tus registros se guardan y se envían cuando vuelva; avisa a TI si esto continúa.
problem-audio-unreachable-summary = Sistema de audio inaccesible
problem-audio-unreachable-message = Veil no puede contactar con el sistema de audio ({ $why }); sigue intentándolo y vuelve a aplicar las reglas del micrófono cuando regrese.
problem-no-headset-summary = Conecta tus auriculares
problem-no-headset-message = Conecta tus auriculares. Hasta entonces, el micrófono del portátil sigue silenciado.
problem-mic-contested-summary = Los ajustes del micrófono cambian sin parar
problem-mic-contested-message = Otro programa cambia una y otra vez los ajustes del micrófono; Veil los vuelve a poner como deben estar.
problem-posture-disk_encryption-summary = Cifra el disco de este equipo
problem-posture-disk_encryption-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-firewall-summary = Activa el cortafuegos
problem-posture-firewall-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-screen_lock-summary = Activa el bloqueo de pantalla
problem-posture-screen_lock-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-os_updates-summary = Instala las actualizaciones de seguridad
problem-posture-os_updates-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-antivirus-summary = Activa el antivirus
problem-posture-antivirus-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-wifi-summary = Usa una red Wi-Fi protegida
problem-posture-wifi-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-vpn-summary = Conéctate a la VPN de la empresa
problem-posture-vpn-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
problem-posture-secure_boot-summary = Activa el arranque seguro
problem-posture-secure_boot-message = { $detail } Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.
