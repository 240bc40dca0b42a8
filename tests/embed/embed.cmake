# cmake -DPREFIX=... -DWORK=... -DEXAMPLE=... -DGENERATOR=... [-DMAKE_PROGRAM=...] -DCXX_COMPILER=...
#       -DIN_TREE_JSON=... -P embed.cmake
# Builds examples/embed against the fsmgen installed in PREFIX, runs it, then checks the build's
# regeneration rules: nothing regenerates when nothing changed, an edited spec or a newer fsmgen
# regenerates, an edit that changes no output recompiles nothing, and after any of these the next
# build does nothing at all. Run once with Ninja and once with Unix Makefiles. The example is copied to WORK first, so editing its spec never touches the source tree.
cmake_minimum_required(VERSION 3.22)  # IN_LIST and other NEW policies in script mode

file(REMOVE_RECURSE "${WORK}")
file(COPY "${EXAMPLE}/" DESTINATION "${WORK}/src")
set(src "${WORK}/src")
set(build "${WORK}/build")

# Runs a command, fails the test if it fails, and leaves its stdout and stderr in `out`.
function(run what)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${stdout}\n${stderr}")
  endif()
  set(out "${stdout}${stderr}" PARENT_SCOPE)
endfunction()

# `cmake --build`, and which fsmgen commands it ran: the COMMENT of fsmgen_generate's commands is
# "fsmgen <backend>: <spec> -> <output>", the same with every generator.
function(build what)
  run("${what}" "${CMAKE_COMMAND}" --build "${build}" --config Release ${ARGN})
  string(REGEX MATCHALL "fsmgen [a-z]+: door.fsm -> [a-z_.]+" ran "${out}")
  set(out "${out}" PARENT_SCOPE)
  set(ran "${ran}" PARENT_SCOPE)
endfunction()

function(expect_regenerated what)
  if(NOT "fsmgen msm: door.fsm -> door_fsm.hpp" IN_LIST ran OR NOT "fsmgen json: door.fsm -> door.json" IN_LIST ran)
    message(FATAL_ERROR "${what}: expected both outputs regenerated, ran: [${ran}]\n${out}")
  endif()
endfunction()

function(expect_nothing_regenerated what)
  if(ran)
    message(FATAL_ERROR "${what}: expected nothing regenerated, ran: [${ran}]\n${out}")
  endif()
endfunction()

# Nothing at all: no generation, no compile, no link (the lines both Make and Ninja print for them).
function(expect_nothing_ran what)
  expect_nothing_regenerated("${what}")
  if(out MATCHES "Building CXX|Linking CXX")
    message(FATAL_ERROR "${what}: expected no work, but it compiled or linked:\n${out}")
  endif()
  if(GENERATOR MATCHES "Ninja" AND NOT out MATCHES "no work to do")
    message(FATAL_ERROR "${what}: expected 'no work to do':\n${out}")
  endif()
endfunction()

set(generator_args -G "${GENERATOR}")
if(MAKE_PROGRAM)
  list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
# -Werror: the generated header must compile warning-free under the example's -Wall -Wextra.
run("configure" "${CMAKE_COMMAND}" -S "${src}" -B "${build}" ${generator_args}
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DCMAKE_CXX_FLAGS=-Werror")

# The package found must be the one just installed, not one installed elsewhere on the machine.
file(STRINGS "${build}/CMakeCache.txt" fsmgen_dir REGEX "^fsmgen_DIR:")
string(FIND "${fsmgen_dir}" "${PREFIX}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "find_package(fsmgen) found another install: ${fsmgen_dir}")
endif()

build("first build")
expect_regenerated("first build")

if(EXISTS "${build}/door")
  set(exe "${build}/door")
else()
  set(exe "${build}/Release/door")
endif()
run("the example" "${exe}")
set(expected [[door: 3 states, 5 events, 7 rows
start in Closed
Closed + knock -> Closed: ring_bell
Closed + open -> Open: light_on
Open + lock -> Open: unhandled lock in Open
Open + close -> Closed: light_off
Closed + lock -> Locked: engage_bolt
Locked + unlock -> Locked: count_failure(1)
Locked + unlock -> Closed: log_entry
Closed + open -> Open: light_on
]])
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "the example printed:\n${out}\nexpected:\n${expected}")
endif()

# The installed fsmgen and the in-tree one (fsmgen_generate inside fsmgen's own build) agree.
set(json "${build}/fsmgen/door_fsm/door.json")
file(SHA256 "${json}" installed_hash)
file(SHA256 "${IN_TREE_JSON}" in_tree_hash)
if(NOT installed_hash STREQUAL in_tree_hash)
  message(FATAL_ERROR "${json} and ${IN_TREE_JSON} differ")
endif()

build("second build")
expect_nothing_ran("second build")

# Re-running CMake rewrites the build system but must not make the outputs look stale.
run("reconfigure" "${CMAKE_COMMAND}" "${build}")
build("build after reconfigure" --target door_fsm)
expect_nothing_regenerated("build after reconfigure")

# An edit that changes no output (a comment at the end): fsmgen runs and leaves both files untouched,
# so nothing recompiles; and the build after it does nothing. With Make this needs the stamp files
# of fsmgen_generate(): an untouched output stays older than the spec.
file(APPEND "${src}/door.fsm" "// a comment changes no output\n")
build("build after adding a comment")
expect_regenerated("build after adding a comment")
if(out MATCHES "Building CXX|Linking CXX")
  message(FATAL_ERROR "build after adding a comment: recompiled although no output changed:\n${out}")
endif()
build("build after the comment build")
expect_nothing_ran("build after the comment build")

file(READ "${src}/door.fsm" spec)
string(REPLACE [["A door with a code lock"]] [["A door with a code lock, edited"]] edited "${spec}")
if(edited STREQUAL spec)
  message(FATAL_ERROR "the test's edit no longer applies to door.fsm; update embed.cmake")
endif()
file(WRITE "${src}/door.fsm" "${edited}")
build("build after editing the spec" --target door_fsm)
expect_regenerated("build after editing the spec")
file(READ "${json}" model)
if(NOT model MATCHES "A door with a code lock, edited")
  message(FATAL_ERROR "${json} does not show the edited spec")
endif()

build("build after regenerating" --target door_fsm)
expect_nothing_regenerated("build after regenerating")

# A new fsmgen may generate different code from the same spec.
file(TOUCH "${PREFIX}/bin/fsmgen")
build("build after a new fsmgen" --target door_fsm)
expect_regenerated("build after a new fsmgen")
build("build after the new fsmgen's build" --target door_fsm)
expect_nothing_ran("build after the new fsmgen's build")
