# Project code is held to -Wall -Wextra -Werror. Applied per target and PRIVATE, so it never leaks into
# the builds of users who link fsmgen's targets.
function(fsmgen_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
