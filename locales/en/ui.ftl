# The windows' words (ui/src). Spanish: ../es/ui.ftl, same ids.
