# Las palabras de las ventanas (ui/src). Los mismos ids que ../en/ui.ftl.
