# random_spec.<target>.run: builds the batch (C++17, the project's compiler), runs every machine on
# random walks and replays the trace on the Model interpreter.
file(READ ${DIR}/seed seed)
message("random_spec: seed ${seed}; a failure reproduces with: FSMGEN_SEED=${seed} ctest --test-dir <build dir> -R random_spec")
# FLAGS (optional): more compiler flags, separated by |, e.g. the -isystem directories of a Boost.MSM
# release (tests/msm_versions).
string(REPLACE "|" ";" flags "${FLAGS}")
execute_process(COMMAND ${CXX} -std=c++17 -O0 -Wall -Wextra -Werror -pedantic ${flags} -I${DIR} -I${TESTS} ${DIR}/batch.cpp -o ${DIR}/batch
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "random_spec: the batch does not compile (seed ${seed})")
endif()
execute_process(COMMAND ${DIR}/batch ${seed} ${DIR}/trace RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "random_spec: the batch exited with ${rc} (seed ${seed})")
endif()
execute_process(COMMAND ${TOOL} compare --out ${DIR} ${DIR}/trace RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "random_spec: a machine disagrees with the Model (seed ${seed})")
endif()
