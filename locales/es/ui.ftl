# Las palabras de las ventanas (ui/src). Los mismos ids que ../en/ui.ftl.
# Los problemas tienen su propio catálogo (problems.ftl); las palabras del
# lado de Rust están en app.ftl.

## Palabras comunes
none = Ninguno
unknown-reason = motivo desconocido
loading = Cargando…
value-yes = Sí
value-no = No
# Un ajuste de tabla cuyos valores son credenciales: solo se ven los nombres.
value-hidden = { $names } (valores ocultos)

## Las páginas de la ventana principal (pestañas y título de la página)
nav-dashboard = Panel
nav-settings = Ajustes
nav-about = Acerca de

## El estado general (panel y barra lateral)
state-protected-title = Estás protegido
state-protected-detail = El modo privado está activado y todo lo que Veil comprueba está como debe.
state-attention-title = Requiere tu atención
state-attention-detail =
    { $count ->
        [one] El modo privado está activado, pero hay una cosa que corregir.
       *[other] El modo privado está activado, pero hay { $count } cosas que corregir.
    }
state-off-title = El modo privado está desactivado
state-off-detail = Actívalo antes de atender llamadas de clientes.

## Modo privado
privacy-mode = Modo privado
privacy-mode-help = Mantiene privados tu micrófono, tu cámara y tu pantalla mientras atiendes llamadas.
privacy-mode-locked-help = Lo exige tu organización. Permanece activado mientras trabajas.
privacy-mode-on = Activado
privacy-mode-off = Desactivado

## Problemas, según la parte de Veil que los informa
problems-label = Problemas
problems-title = Lo que requiere atención
source-microphone = Micrófono
source-camera = Uso de la cámara y el micrófono
source-shield = Protector de pantalla
source-policy = Política de la organización
source-settings = Tu archivo de ajustes
source-store = Registro de auditoría
source-fleet = Informes a tu organización
source-posture = Este equipo

## Tarjeta del micrófono
mic-title = Micrófono
mic-starting = Comprobando tus micrófonos…
mic-disconnected = No se puede contactar con el sistema de audio; Veil sigue intentándolo
mic-not-guarded = Sin protección mientras el modo privado está desactivado
mic-no-headset = Conecta tus auriculares: hasta entonces, el micrófono del portátil sigue silenciado
mic-contested = Otro programa cambia una y otra vez los ajustes de tu micrófono
mic-speaking-through = Hablas a través de { $headset }
mic-default = Micrófono predeterminado
mic-muted = Silenciados
mic-level-label = Nivel del micrófono
mic-check-start = Probar micrófono
mic-check-stop = Detener prueba
mic-check-speak-now = Habla ahora: { $device }
mic-check-hint = Comprueba que tus auriculares te oyen antes de una llamada.

## Tarjeta del uso de la cámara y el micrófono
camera-title = Uso de la cámara y el micrófono
camera-starting = Comprobando quién usa tu cámara y tu micrófono…
camera-degraded = Veil no puede ver todos los usos de tu cámara y tu micrófono: { $why }
camera-idle = Ningún programa está usando tu cámara ni tu micrófono
camera-unapproved = Un programa que tu organización no ha aprobado está usando un dispositivo
camera-approved = Solo programas aprobados están usando tus dispositivos
camera-live-camera = { $program } está usando la cámara ({ $device })
camera-live-microphone = { $program } está usando el micrófono ({ $device })
camera-live-approved = aprobado
camera-live-not-approved = no aprobado por tu organización
# Un programa cuyo nombre de archivo está vacío.
program-unnamed = Un programa
# Un programa que solo se nombra a sí mismo.
program-unknown = Un programa desconocido
program-untrusted-location = { $app } (una copia fuera de las carpetas de programas del sistema)
camera-devices = Cámaras
camera-devices-none = No se encontró ninguna
camera-cover = Tapa de la cámara
camera-cover-covered = Tapada (última comprobación: { $time })
camera-cover-open = Sin tapar: desliza la tapa para cerrarla (última comprobación: { $time })
camera-recent = Uso reciente
# «obs — cámara (Integrated Camera), 10:42, 3 min»
camera-recent-entry = { $app } — { $kind } ({ $device }), { $time }, { $duration }
camera-use-kind-camera = cámara
camera-use-kind-microphone = micrófono
camera-recent-none = Ninguno desde que se inició Veil. El historial completo está en el registro de auditoría.
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min
duration-hours-minutes = { $hours } h { $minutes } min

## Tarjeta del protector de pantalla
shield-title = Protector de pantalla
shield-no-idle-source = Veil no puede saber cuándo te ausentas en este escritorio: usa «Proteger pantalla ahora» o el atajo
shield-off = Desactivado mientras el modo privado está desactivado
shield-on = Cubre todas las pantallas cuando te ausentas
shield-now = Proteger pantalla ahora
shield-shortcut = Atajo
shield-shortcut-note = { $keys } — { $note }
shield-shortcut-unavailable = { $keys } — no disponible: { $why }
shield-away-detection = Detección de ausencia
shield-idle-source-x11 = Extensión de salvapantallas de X11
shield-idle-source-windows = Tiempo de inactividad de Windows
shield-idle-source-macos = Tiempo de inactividad de macOS
shield-idle-source-mutter = Monitor de inactividad de GNOME (Mutter)
shield-idle-source-ext-idle-notify = Notificaciones de inactividad de Wayland
shield-idle-source-none = No disponible

## Tarjeta de la formación en seguridad
training-title = Formación en seguridad
training-open = Abrir la formación
training-modules-completed =
    { $completed } de { $modules } { $modules ->
        [one] módulo completado
       *[other] módulos completados
    }
training-due = { $count } con tareas pendientes
training-next-quiz-after-call = próximo cuestionario después de tu llamada
training-quiz-postponed-minute = cuestionario aplazado un minuto
training-quiz-postponed = cuestionario aplazado unos { $minutes } min
training-next-quiz-soon = próximo cuestionario en breve
training-next-quiz-in = próximo cuestionario en unos { $minutes } min
training-load-errors = No se pudieron cargar algunos módulos: { $errors }

## Tarjeta de los informes a la organización
fleet-title = Informes a tu organización
fleet-connected = Tus registros de privacidad llegan a tu organización en el momento.
fleet-parked = El receptor de tu organización rechazó los registros de Veil. Se guardan en este equipo; avisa a TI si esto continúa.
fleet-retrying = Veil no puede contactar con tu organización en este momento. Tus registros se guardan y se envían cuando vuelva la conexión.
fleet-starting = Veil se está preparando para informar a tu organización.
# «Servidor syslog (logs.example.com:6514)»
fleet-destination = { $kind } ({ $endpoint })
fleet-destination-otlp = Recopilador de OpenTelemetry
fleet-destination-syslog = Servidor syslog
fleet-state-connected = conectado
fleet-state-retrying = reintentando
fleet-state-parked = rechazado
fleet-state-off = sin iniciar
fleet-queued =
    { $count ->
        [one] { $count } registro en espera
       *[other] { $count } registros en espera
    }
fleet-last-delivered = última entrega a las { $time }
fleet-what-is-sent = Veil envía lo que registra (modo privado, eventos de dispositivos y de política) y un estado periódico; nunca audio, vídeo ni lo que hay en tu pantalla.

## Tarjeta «Este equipo» (comprobaciones del dispositivo)
posture-title = Este equipo
posture-starting = Veil está comprobando este equipo…
posture-overdue =
    { $count ->
        [one] Hay que corregir en este equipo un requisito de tu organización.
       *[other] Hay que corregir en este equipo { $count } requisitos de tu organización.
    }
# $date: «martes, 1 de diciembre»
posture-fix-by-date = Corrige lo que se marca abajo a más tardar el { $date }.
posture-compliant = Este equipo cumple los requisitos de tu organización.
posture-compliant-with-advice = Este equipo cumple los requisitos de tu organización. Algunos consejos de abajo lo harían más seguro.
posture-required = Obligatorio
posture-advice = Consejo
posture-fix-by = Plazo: { $date }
posture-result-pass = Correcto
posture-result-fail = Hay que corregirlo
posture-result-unknown = No se pudo comprobar
posture-result-not-applicable = No aplica
posture-how-to-fix = Cómo corregirlo
posture-check-again = Volver a comprobar
posture-checking = Comprobando…
posture-last-checked = Última comprobación a las { $time }.

## Tarjeta de configuración
config-title = Configuración
config-policy = Política de la organización
config-policy-missing = No hay ninguna instalada en este equipo
config-settings = Tus ajustes
config-settings-missing = Predeterminados (no has cambiado nada)
config-store = Registro de auditoría
# Va seguido de la ruta del archivo conservado.
config-store-kept-aside = No se pudo abrir un registro de auditoría anterior con la clave de este equipo. Se ha conservado, no se ha borrado:
file-loaded = En vigor
file-rejected = Tiene errores: se aplica la última versión válida
store-ok-credential-store = Cifrado; la clave se guarda en el almacén de credenciales de este equipo
store-ok-key-file = Cifrado; la clave se guarda en un archivo que solo tú puedes leer (no hay almacén de credenciales)
store-unavailable = No se está registrando: consulta arriba
store-starting = Abriendo…

## Página de ajustes
settings-locked = Definido por tu organización
settings-organization-title = Definido por tu organización
settings-file-error-title = Tu archivo de ajustes tiene un error
settings-file-error-help = Veil mantiene tus últimos ajustes válidos. Corrige el archivo para cambiar los ajustes aquí.
settings-list-placeholder = ninguno

## Página «Acerca de»
about-version = Versión { $version }
about-policy-file = Archivo de política
about-policy-state = Estado de la política
about-policy-missing = No instalada: se aplican los valores predeterminados de Veil
about-logs = Registros de diagnóstico
about-tagline = Veil mantiene privados tu micrófono, tu cámara y tu pantalla mientras atiendes a clientes.

## Cuestionario emergente
quiz-window-title = Cuestionario de seguridad de Veil
quiz-title = Comprobación rápida de seguridad
quiz-title-practice = Práctica
quiz-seconds-left = { $seconds } s
quiz-check = Comprobar respuesta
quiz-next = Siguiente pregunta
quiz-done = Terminar
quiz-later = Más tarde
quiz-progress = Pregunta { $number } de { $total }
quiz-choose-all = Elige todas las respuestas que correspondan.
quiz-correct = Correcto
quiz-wrong = No exactamente: mira abajo por qué
quiz-explain-right = Correcto: { $explain }

## Ventana de formación
training-window-title = Formación de Veil
training-modules-label = Módulos de formación
training-export = Exportar informe (CSV)
training-export-saved = Guardado en { $path }
training-export-failed = No se guardó: { $error }
training-not-loaded = No se cargaron: { $errors }
training-intro-title = Lecciones breves, preguntas rápidas
training-intro = Elige un módulo a la izquierda para leer su lección (unos tres minutos). Después, sus preguntas aparecen de vez en cuando en un pequeño cuestionario, nunca durante una llamada. Las preguntas que falles vuelven antes.
training-practice = Practicar ahora
training-reading-time = { $minutes } min de lectura
training-mastery = Dominio: { $mastery } %
training-module-answered = { $answered }/{ $total } respondidas
training-module-mastery = dominio: { $mastery } %
training-module-completed = Completado
training-module-not-started = Sin empezar
training-module-required = obligatorio
training-module-required-by = obligatorio antes del { $date }
training-module-to-review = { $count } por repasar
training-store-unavailable = Ahora mismo no se puede guardar tu progreso de formación. Los cuestionarios esperan hasta que se pueda; las respuestas de «Practicar ahora» se guardan en cuanto se pueda, si Veil sigue en marcha.
training-store-unavailable-why = Ahora mismo no se puede guardar tu progreso de formación ({ $why }). Los cuestionarios esperan hasta que se pueda; las respuestas de «Practicar ahora» se guardan en cuanto se pueda, si Veil sigue en marcha.

## El protector de pantalla y su cuenta atrás (versiones web, Windows y macOS)
shield-window-title = Protector de pantalla de Veil
shield-overlay-hint = Mueve el ratón para continuar
warning-window-title = Veil: la pantalla se cubrirá pronto
# Después del número de segundos, que se muestra en grande.
warning-countdown =
    { $seconds ->
        [one] segundo
       *[other] segundos
    } para que Veil cubra tu pantalla. Mueve el ratón para seguir.

## Ajustes: el título y la ayuda de cada clave (en/ui.ftl tiene las palabras de crates/veil-core/src/settings/schema.rs) y las opciones de los ajustes de elección, como las muestra la página de ajustes
setting-start-at-login-title = Iniciar Veil al iniciar sesión
setting-start-at-login-help = Veil se inicia en la bandeja cada vez que inicias sesión en este equipo.
setting-appearance-title = Apariencia
setting-appearance-help = Sigue el tema claro u oscuro del sistema, o usa siempre uno de los dos.
setting-appearance-option-system = Sistema
setting-appearance-option-light = Claro
setting-appearance-option-dark = Oscuro
setting-language-title = Idioma
setting-language-help = El idioma de las ventanas, los menús y las notificaciones de Veil: Automático sigue el idioma del equipo; también puedes elegir inglés o español.
setting-language-option-auto = El idioma de este equipo
setting-language-option-en = English
setting-language-option-es = Español
setting-allow-quit-title = Los agentes pueden cerrar Veil
setting-allow-quit-help = Con el valor false, el menú de la bandeja no ofrece «Salir de Veil».
setting-force-privacy-mode-title = El modo privado está siempre activado
setting-force-privacy-mode-help = Con el valor true, el modo privado está activado y los agentes no pueden desactivarlo.
setting-audit-retain-days-title = Conservar el registro de auditoría (días)
setting-audit-retain-days-help = Las entradas de auditoría más antiguas se eliminan; la propia eliminación queda registrada.
setting-store-key-fallback-title = Sin almacén de credenciales
setting-store-key-fallback-help = Donde el sistema no ofrece un almacén de credenciales: guardar la clave del registro en un archivo que solo el agente puede leer, o no guardar nada.
setting-store-key-fallback-option-key_file = Archivo de clave
setting-store-key-fallback-option-refuse = No guardar nada
setting-microphone-approved-headsets-title = Auriculares aprobados
setting-microphone-approved-headsets-help = Patrones de nombre (* equivale a cualquier texto; no distingue mayúsculas) de los auriculares que la protección del micrófono trata como auriculares, del preferido al menos preferido.
setting-shield-idle-seconds-title = Cubrir la pantalla tras (segundos de inactividad)
setting-shield-idle-seconds-help = Cuando te ausentas este tiempo, la pantalla se oscurece con una cuenta atrás y después se cubren todos los monitores.
setting-shield-warning-seconds-title = Cuenta atrás antes de cubrir (segundos)
setting-shield-warning-seconds-help = Cuánto dura la cuenta atrás con la pantalla oscurecida antes de que se cubra.
setting-shield-lock-after-seconds-title = Bloquear el equipo tras (segundos de inactividad)
setting-shield-lock-after-seconds-help = Tras este tiempo de ausencia, el equipo se bloquea y hace falta tu contraseña.
setting-shield-max-call-seconds-title = Inactividad máxima durante una llamada (segundos)
setting-shield-max-call-seconds-help = Mientras el micrófono o la cámara están en uso, la pantalla solo se cubre tras este tiempo sin actividad.
setting-shield-always-on-title = Protector de pantalla incluso con el modo privado desactivado
setting-shield-always-on-help = Con el valor true, el protector por inactividad funciona tanto si el modo privado está activado como si no.
setting-shield-shortcut-title = Atajo de «Proteger pantalla ahora»
setting-shield-shortcut-help = Teclas que cubren la pantalla al instante desde cualquier programa, como Ctrl+Alt+Shift+P; vacío para ninguno.
setting-shield-style-title = Estilo del protector
setting-shield-style-help = Desenfocado muestra tu pantalla tal como estaba, demasiado borrosa para leerla; Opaco la cubre de gris oscuro. Donde no se puede capturar la pantalla, el protector es opaco.
setting-shield-style-option-blur = Desenfocado
setting-shield-style-option-opaque = Opaco
setting-shield-lock-command-title = Comando de bloqueo
setting-shield-lock-command-help = Un comando que bloquea la sesión, para escritorios en los que no funciona el bloqueo del propio sistema; vacío usa el del sistema.
setting-camera-allowed-apps-title = Programas autorizados a usar la cámara
setting-camera-allowed-apps-help = Nombres o rutas de programas (* equivale a cualquier texto; no distingue mayúsculas) cuyo uso de la cámara se registra sin avisar al agente; el uso de cualquier otro programa se avisa una vez por llamada.
setting-microphone-allowed-apps-title = Programas autorizados a usar el micrófono
setting-microphone-allowed-apps-help = Nombres o rutas de programas (* equivale a cualquier texto; no distingue mayúsculas), como el softphone, cuyo uso del micrófono se registra sin avisar al agente.
setting-camera-device-pattern-title = Nodos de dispositivo de la cámara (Linux)
setting-camera-device-pattern-help = Los nodos de dispositivo que Veil vigila para detectar el uso de la cámara; * equivale a cualquier secuencia de caracteres en el nombre del archivo.
setting-camera-cover-check-title = Comprobar que la cámara está tapada
setting-camera-cover-check-help = Cuando ningún programa usa la cámara, Veil lee un fotograma e informa de si el objetivo está tapado. El fotograma nunca se guarda ni se envía.
setting-camera-cover-check-minutes-title = Comprobar la tapa de la cámara cada (minutos)
setting-camera-cover-check-minutes-help = Con qué frecuencia se comprueba la tapa, cuando la comprobación está activada.
setting-training-quiz-every-minutes-title = Un cuestionario de seguridad cada (minutos de actividad)
setting-training-quiz-every-minutes-help = Minutos frente al equipo entre dos cuestionarios breves; 0 pregunta en el primer buen momento (pilotos y pruebas).
setting-training-snooze-minutes-title = «Más tarde» aplaza un cuestionario (minutos)
setting-training-snooze-minutes-help = Cuánto espera «Más tarde» en un cuestionario antes de volver a preguntar.
setting-training-max-snoozes-title = Veces seguidas que se permite «Más tarde»
setting-training-max-snoozes-help = Pasadas estas veces, el cuestionario deja de ofrecer «Más tarde».
setting-training-mandatory-title = Módulos de formación obligatorios
setting-training-mandatory-help = Ids de módulo, cada uno con una fecha límite opcional: «phishing@2026-12-31». Los módulos obligatorios aparecen primero.
setting-training-extra-folder-title = Módulos de formación propios de la organización
setting-training-extra-folder-help = Una carpeta de archivos de módulo (con el mismo formato que los de Veil) que se cargan además de los de Veil.
setting-fleet-otlp-endpoint-title = Recopilador de OpenTelemetry
setting-fleet-otlp-endpoint-help = La URL base del recopilador (Veil envía a /v1/logs); https, o http solo hacia este equipo. Vacío: no se usa.
setting-fleet-otlp-headers-title = Cabeceras de las peticiones al recopilador
setting-fleet-otlp-headers-help = Cabeceras que se envían con cada petición al recopilador, como un token de API.
setting-fleet-syslog-endpoint-title = Receptor syslog (TLS)
setting-fleet-syslog-endpoint-help = host:puerto de un receptor syslog RFC 5425 sobre TLS (normalmente el puerto 6514). Vacío: no se usa.
setting-fleet-ca-file-title = Autoridad de certificación de los receptores
setting-fleet-ca-file-help = Un archivo PEM con los certificados de CA a los que deben encadenarse los certificados de los receptores; vacío usa los del sistema.
setting-fleet-client-cert-file-title = Certificado de cliente
setting-fleet-client-cert-file-help = Un certificado de cliente PEM para TLS mutuo con los receptores (junto con fleet.client_key_file).
setting-fleet-client-key-file-title = Clave de cliente
setting-fleet-client-key-file-help = La clave privada PEM del certificado de cliente.
setting-fleet-heartbeat-seconds-title = Señal de actividad cada (segundos)
setting-fleet-heartbeat-seconds-help = Con qué frecuencia envía Veil el resumen de su estado a los receptores.
setting-fleet-retry-max-seconds-title = Espera máxima entre reintentos (segundos)
setting-fleet-retry-max-seconds-help = El límite de la espera creciente entre reintentos y del retardo aleatorio antes de volver a conectar tras una interrupción.
setting-fleet-backlog-days-title = Conservar los registros no entregados (días)
setting-fleet-backlog-days-help = Los registros que un receptor no ha recogido en este tiempo se descartan (primero los más antiguos) y un registro fleet_gap lo indica.
setting-fleet-alert-after-minutes-title = Avisar al agente tras (minutos)
setting-fleet-alert-after-minutes-help = Si un receptor está inaccesible durante más tiempo, la bandeja pasa a «Requiere atención»; 0 no lo hace nunca.
setting-fleet-labels-title = Etiquetas
setting-fleet-labels-help = Nombres que se envían con cada registro, como la sede y el departamento.
setting-posture-required-title = Comprobaciones del dispositivo obligatorias
setting-posture-required-help = Las comprobaciones de «Este equipo» que exige tu organización; si una falla, requiere atención. Las demás se muestran como consejos.
setting-posture-grace-days-title = Días para corregir una comprobación fallida
setting-posture-grace-days-help = Una comprobación obligatoria que empieza a fallar muestra primero un plazo de este número de días para corregirla y después requiere atención; 0 requiere atención de inmediato.
setting-posture-check-minutes-title = Comprobar el equipo cada (minutos)
setting-posture-check-minutes-help = Con qué frecuencia se ejecutan las comprobaciones del dispositivo (con una variación aleatoria), además de cuando el sistema indica un cambio.
setting-posture-min-os-build-windows-title = Compilación mínima de Windows
setting-posture-min-os-build-windows-help = os_updates falla por debajo de este número de compilación de Windows (19045 es Windows 10 22H2); 0 acepta cualquiera.
setting-posture-min-os-build-macos-title = Versión mínima de macOS
setting-posture-min-os-build-macos-help = os_updates falla por debajo de esta versión de macOS («14.4»); vacío acepta cualquiera.
setting-posture-vpn-interfaces-title = Interfaces de VPN
setting-posture-vpn-interfaces-help = Nombres de interfaces de red (con * para cualquier secuencia de caracteres, como «wg*») que indican que la VPN de la empresa está conectada.
setting-posture-antivirus-title = Antivirus que se busca (Linux, macOS)
setting-posture-antivirus-help = Nombres de procesos o unidades de systemd (terminadas en .service) del antivirus obligatorio; vacío: la comprobación no se aplica en esos sistemas.
setting-posture-max-lock-minutes-title = Tiempo máximo hasta el bloqueo de pantalla (minutos)
setting-posture-max-lock-minutes-help = screen_lock falla cuando el sistema se bloquea más tarde que esto tras la última actividad.
setting-posture-shield-counts-as-screen-lock-title = El protector de Veil cuenta como bloqueo de pantalla
setting-posture-shield-counts-as-screen-lock-help = Con el valor true, el protector por inactividad y el bloqueo de Veil superan screen_lock donde el bloqueo del propio sistema está desactivado o es desconocido.
