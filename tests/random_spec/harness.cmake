# random_spec.msm.harness: builds DIR/harness.cpp (the property harness, -t rapidcheck, of the batch's
# first specs; C++17, the project's compiler) and runs it: RapidCheck drives each machine against the
# rows of its spec, so the harness backend itself is tested on random specs.
file(READ ${DIR}/seed seed)
message("random_spec: seed ${seed}; a failure reproduces with: FSMGEN_SEED=${seed} ctest --test-dir <build dir> -R random_spec")
execute_process(COMMAND ${CXX} -std=c++17 -O0 -Wall -Wextra -Werror -pedantic -I${DIR} -I${TESTS} ${DIR}/harness.cpp ${RAPIDCHECK}
                        -o ${DIR}/harness
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "random_spec: the property harnesses do not compile (seed ${seed})")
endif()
execute_process(COMMAND ${DIR}/harness RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "random_spec: a property harness failed (seed ${seed})")
endif()
