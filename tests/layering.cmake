# The architecture's one-way dependencies, checked on every include:
#   cmd -> core -> {sandbox, store, gpu, libwb};  sandbox, store, gpu and libwb
#   include nothing of the others. Run as `cmake -DSOURCE_DIR=... -P`.
# A wrong-way include fails this test with the file, the line and the rule.
cmake_minimum_required(VERSION 3.25)
set(allowed_cmd cmd core)
set(allowed_core core sandbox store gpu libwb)
set(allowed_sandbox sandbox)
set(allowed_store store)
set(allowed_gpu gpu)
set(allowed_libwb "")
set(project_folders cmd core sandbox store gpu libwb)

set(violations "")
foreach(folder IN LISTS project_folders)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${folder}/*.cpp" "${SOURCE_DIR}/${folder}/*.h"
       "${SOURCE_DIR}/${folder}/*.cu")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS lines)
      string(REGEX MATCH "\"([a-z_]+)/" _ "${line}")
      set(target "${CMAKE_MATCH_1}")
      if(target STREQUAL "" OR NOT target IN_LIST project_folders)
        continue()
      endif()
      if(NOT target IN_LIST allowed_${folder})
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${source}")
        string(STRIP "${line}" line)
        list(APPEND violations "${rel}: ${line}: ${folder}/ may include only: ${allowed_${folder}}")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "wrong-way includes (see ARCHITECTURE.md, Layout):\n  ${text}")
endif()
message(STATUS "layering: every include points the architecture's way")
