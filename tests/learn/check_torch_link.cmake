# SPDX-License-Identifier: MIT
# cmake -DBINARY=<executable> -DEXPECT_TORCH=ON|OFF -P check_torch_link.cmake
# Fails unless `ldd BINARY` lists libtorch/libc10 exactly when EXPECT_TORCH is ON.
execute_process(COMMAND ldd "${BINARY}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "libc\\.so")
  message(FATAL_ERROR "ldd ${BINARY} failed (${rc}): ${err}")
endif()
if(out MATCHES "libtorch|libc10")
  set(links ON)
else()
  set(links OFF)
endif()
if(NOT links STREQUAL EXPECT_TORCH)
  message(FATAL_ERROR "${BINARY}: links libtorch: ${links}, expected ${EXPECT_TORCH}\n${out}")
endif()
message(STATUS "${BINARY}: links libtorch: ${links}, as expected")
