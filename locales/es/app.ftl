# Las palabras de Veil en el lado de Rust: el menú de la bandeja, las
# notificaciones, el protector de pantalla y los mensajes de la CLI para
# agentes. Los mismos ids que ../en/app.ftl.

## El estado general (información sobre la bandeja y línea de estado)
state-protected = Protegido
state-attention = Requiere atención
state-off = Modo privado desactivado

## Menú de la bandeja
tray-privacy-mode = Modo privado
tray-open = Abrir Veil
tray-shield-now = Proteger pantalla ahora
tray-training = Formación…
tray-quit = Salir de Veil
tray-attention-one = Requiere atención: { $summary }
tray-attention-many = Requiere atención: { $count } problemas
tray-tooltip = Veil — { $state }
tray-tooltip-problem = Veil — { $state }: { $summary }

## El protector y su cuenta atrás
shield-hint = Mueve el ratón para continuar
# Después del número de segundos, que se muestra en grande.
shield-countdown =
    { $seconds ->
        [one] segundo
       *[other] segundos
    } para que Veil cubra tu pantalla. Mueve el ratón para seguir.

## Notificaciones
notify-store-reset-title = Veil empezó un nuevo registro de auditoría
notify-store-reset-body = El anterior no se pudo abrir con la clave de este equipo. Se guardó en { $kept }.
notify-policy-rejected-title = Veil no pudo usar el archivo de política
notify-policy-rejected-body = { $error }. Veil mantiene la última política válida.
notify-settings-rejected-title = Veil no pudo usar el archivo de ajustes
notify-settings-rejected-body = { $error }. Veil mantiene los últimos ajustes válidos.
notify-posture-fix-by = { $detail } Corrígelo antes del { $date }.
notify-posture-how = { $detail } Abre «Este equipo» en el panel para ver cómo corregirlo.
notify-cover-camera-title = Tapa tu cámara
notify-cover-camera-body = { $device } no está tapada. Cierra la tapa cuando no estés en una videollamada.
notify-device-opened = { $app } abrió { $device }. Si no lo iniciaste tú, ciérralo y avisa a TI.
notify-device-taken-over = { $app } tomó { $device } de { $previous }. Si no lo iniciaste tú, ciérralo y avisa a TI.
notify-mic-corrected-title = Veil volvió a poner tu micrófono como debe estar
notify-mic-corrected-body = { $device }: { $what }, porque { $why }.
# Lo que cambió Veil y por qué, dentro de notify-mic-corrected-body. $was,
# $to: nombres de micrófonos; $app: el programa que graba.
mic-what-made-default = pasó a ser el micrófono predeterminado (antes: { $was })
mic-what-made-default-from-none = pasó a ser el micrófono predeterminado (antes no había ninguno)
mic-what-muted = silenciado
mic-what-unmuted = sonido reactivado
mic-what-moved = la grabación de { $app } pasó a { $to }
mic-what-moved-unknown-app = la grabación de una aplicación pasó a { $to }
mic-why-default-restored = el modo privado está desactivado: vuelve el micrófono que tenías antes
mic-why-default-headset = en modo privado hablas por tus auriculares
mic-why-mute-restored = el modo privado está desactivado: vuelve a estar silenciado o activo como antes
mic-why-webcam-muted = los micrófonos de las cámaras web siguen silenciados en modo privado
mic-why-laptop-muted = los micrófonos del portátil siguen silenciados en modo privado, porque siguen escuchando por si alguien llama a un asistente de voz
mic-why-moved = en modo privado nada puede grabar desde el micrófono del portátil ni el de la cámara web

## Las palabras de la CLI para agentes (los scripts leen --json y los códigos de salida)
cli-not-running = Veil no está en ejecución
cli-privacy-on = El modo privado está activado.
cli-privacy-off = El modo privado está desactivado.
cli-shield-now = La pantalla está cubierta; mueve el ratón para continuar.
