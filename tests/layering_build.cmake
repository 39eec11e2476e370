# The layers as the compiler sees them: with the include directories a
# folder's library exports to its users, each wrong-way include must fail
# to compile and each allowed one must compile. Run as
#   cmake -DCXX=... -DCORE=... -DSTORE=... -DSANDBOX=... -DGPU=... -DLIBWB=... -DWORK=... -P
# where each upper-case variable is the include directories that library's
# own sources compile with (a ;-list). A layer whose include would compile where it must not fails
# this test, naming the pair.
cmake_minimum_required(VERSION 3.25)

# folder -> the header of it that others include.
set(header_core core/error.h)
set(header_store store/error.h)
set(header_sandbox sandbox/policy.h)
set(header_gpu gpu/probe.h)
set(header_libwb libwb/wb_format.h)

# Who may include whom (ARCHITECTURE.md, Layout); the rest must fail.
set(allowed_store store)
set(allowed_sandbox sandbox)
set(allowed_gpu gpu)
set(allowed_libwb libwb)
set(allowed_core core store sandbox gpu libwb)
set(folders core store sandbox gpu libwb)

file(MAKE_DIRECTORY ${WORK})
set(failures "")
foreach(from store sandbox gpu libwb core)
  string(TOUPPER ${from} var)
  set(flags "")
  foreach(dir IN LISTS ${var})
    list(APPEND flags "-I${dir}")
  endforeach()
  foreach(to IN LISTS folders)
    set(src ${WORK}/${from}_includes_${to}.cpp)
    file(WRITE ${src} "#include \"${header_${to}}\"\nint main() { return 0; }\n")
    execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only ${flags} ${src}
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(to IN_LIST allowed_${from})
      if(NOT rc EQUAL 0)
        list(APPEND failures "${from}/ cannot include ${header_${to}}, which it may: ${err}")
      endif()
    elseif(rc EQUAL 0)
      list(APPEND failures "${from}/ can include ${header_${to}}, which it must not")
    endif()
  endforeach()
endforeach()

if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "the build does not enforce the layers:\n  ${text}")
endif()
message(STATUS "layering: every wrong-way include fails to compile, every allowed one compiles")
