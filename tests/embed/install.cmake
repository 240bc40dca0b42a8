# cmake -DBUILD_DIR=... -DPREFIX=... -DCONFIG=... -P install.cmake
# Installs the build into a prefix emptied first, so nothing from an earlier run can stand in for a
# file the install rules forgot.
cmake_minimum_required(VERSION 3.22)  # IN_LIST and other NEW policies in script mode
file(REMOVE_RECURSE "${PREFIX}")
set(config_arg "")
if(CONFIG)
  set(config_arg --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${config_arg}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()

file(GLOB_RECURSE config "${PREFIX}/*/fsmgenConfig.cmake")
foreach(f bin/fsmgen)
  if(NOT EXISTS "${PREFIX}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
if(NOT config)
  message(FATAL_ERROR "not installed: fsmgenConfig.cmake")
endif()
get_filename_component(config_dir "${config}" DIRECTORY)
foreach(f fsmgenConfigVersion.cmake fsmgenTargets.cmake FsmgenGenerate.cmake)
  if(NOT EXISTS "${config_dir}/${f}")
    message(FATAL_ERROR "not installed beside fsmgenConfig.cmake: ${f}")
  endif()
endforeach()
execute_process(COMMAND "${PREFIX}/bin/fsmgen" --version OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^fsmgen [0-9]+\\.[0-9]+\\.[0-9]+")
  message(FATAL_ERROR "the installed fsmgen does not run: '${out}' (${rc})")
endif()
