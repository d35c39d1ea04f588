// The erl_nif glue of plc: decode terms, call runtime/, encode results.
// This file loads the library and lists its functions; the NIF resource
// types are in handles.h, the functions in library_nif.cc, system_nif.cc,
// resource_nif.cc and resource_io_nif.cc (nif.h), the messages the engine
// sends in observer.h, term conversion in terms.h.
//
// Events between the resources of a system go through a Socket per
// resource (handles.h): the sender posts into whatever instance of the
// target is running now, so a target that is restarted (a new instance
// from the same plan) keeps receiving; one that runs on another node gets
// them through the local forwarder in their wire form
// (runtime/remote_event.h). No C++ exception leaves a NIF: every entry
// point runs in guarded().
#include <dlfcn.h>
#include <erl_nif.h>

#include "nif/handles.h"
#include "nif/nif.h"
#include "runtime/process_image.h"

namespace plc::nif {
namespace {

int load(ErlNifEnv* env, void**, ERL_NIF_TERM) {
  // The alarm clock's thread runs this library's code until the VM exits:
  // the library must never be unmapped (a purge of plc_nif would otherwise
  // crash the VM), so it holds a reference to itself that is never closed.
  Dl_info self{};
  if (!dladdr(reinterpret_cast<void*>(&load), &self) || !self.dli_fname ||
      !dlopen(self.dli_fname, RTLD_NOW | RTLD_NODELETE))
    return 1;
  ErlNifResourceTypeInit init{};
  init.dtor = handle_dtor;
  init.down = handle_down;
  init.members = 3;
  g_resource_type = enif_init_resource_type(env, "plc_resource", &init, ERL_NIF_RT_CREATE, nullptr);
  ErlNifResourceTypeInit lib_init{};
  lib_init.dtor = library_dtor;
  lib_init.members = 1;
  g_library_type = enif_init_resource_type(env, "plc_library", &lib_init, ERL_NIF_RT_CREATE, nullptr);
  ErlNifResourceTypeInit sys_init{};
  sys_init.dtor = system_dtor;
  sys_init.members = 1;
  g_system_type = enif_init_resource_type(env, "plc_system", &sys_init, ERL_NIF_RT_CREATE, nullptr);
  if (!g_resource_type || !g_library_type || !g_system_type) return 1;
  g_atom_wake = enif_make_atom(env, "plc_wake");
  g_atom_plc_out = enif_make_atom(env, "plc_out");
  try {
    auto lib = std::make_shared<TypeLibrary>();
    add_standard_blocks(*lib);
    add_process_image_blocks(*lib);
    g_library = std::move(lib);
  } catch (...) {
    return 1;
  }
  return 0;
}

ErlNifFunc functions[] = {
    {"resource_new", 1, resource_new, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"subscribe", 4, subscribe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"unsubscribe", 4, unsubscribe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"post", 4, post, 0},
    {"manage_answer", 3, manage_answer, 0},
    {"post_batch", 4, post_batch, 0},
    {"read", 2, read, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"write", 4, write, 0},
    {"start", 2, start, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"reconfigure", 2, reconfigure, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"run", 1, run, 0},
    {"stats", 1, stats, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"describe", 1, describe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"var_types", 1, var_types, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_new", 0, library_new, 0},
    {"library_compile", 3, library_compile, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_load_4diac", 3, library_load_4diac, ERL_NIF_DIRTY_JOB_IO_BOUND},
    {"library_type", 2, library_type, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_types", 1, library_types, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_adapter_types", 1, library_adapter_types, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_literal", 4, library_literal, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_connectable", 3, library_connectable, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"system_new", 2, system_new, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"system_new", 3, system_new, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"write_input", 3, write_input, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"force", 4, force, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"clear_force", 3, clear_force, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"forced", 1, forced, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"retain_capture", 1, retain_capture, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"retain_restore", 2, retain_restore, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"post_raw", 2, post_raw, 0},
    {"service_answer", 6, service_answer, 0},
    {"service_data", 5, service_data, 0},
    {"system_route", 4, system_route, 0},
    {"system_credit", 2, system_credit, 0},
};

}  // namespace
}  // namespace plc::nif

ERL_NIF_INIT(plc_nif, plc::nif::functions, plc::nif::load, nullptr, nullptr, nullptr)
