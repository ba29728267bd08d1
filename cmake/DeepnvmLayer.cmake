# SPDX-License-Identifier: MIT
# One static library per layer of docs/DESIGN.md.
#
# Every layer sees only its own public headers and those of the layers it links to: the headers
# stay in include/deepnvm/<layer>/, and each layer gets a private include root in the build tree
# that holds a link to its own header folder only. An include that points up the layer list is
# therefore "file not found" at compile time, not a link error discovered later (or never).

set(DEEPNVM_DATA_DIR "${PROJECT_SOURCE_DIR}/data")

function(deepnvm_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;EXTERNAL" ${ARGN})
  set(root "${PROJECT_BINARY_DIR}/layer-include/${name}")
  file(MAKE_DIRECTORY "${root}/deepnvm")
  if(NOT EXISTS "${root}/deepnvm/${name}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/include/deepnvm/${name}" "${root}/deepnvm/${name}" SYMBOLIC)
  endif()
  add_library(deepnvm_${name} STATIC ${ARG_SOURCES})
  add_library(deepnvm::${name} ALIAS deepnvm_${name})
  target_include_directories(deepnvm_${name} PUBLIC $<BUILD_INTERFACE:${root}>)
  foreach(dep IN LISTS ARG_DEPENDS)
    target_link_libraries(deepnvm_${name} PUBLIC deepnvm::${dep})
  endforeach()
  target_link_libraries(deepnvm_${name} PUBLIC ${ARG_EXTERNAL})
  target_compile_definitions(deepnvm_${name} PRIVATE DEEPNVM_VERSION="${PROJECT_VERSION}")
endfunction()
