// The NIF functions of plc_nif, by the file that implements them; nif.cc
// lists them in the function table (erlang/src/plc_nif.erl documents each).
#pragma once

#include <erl_nif.h>

namespace plc::nif {

// library_nif.cc
ERL_NIF_TERM library_new(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_compile(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_load_4diac(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_type(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_types(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_adapter_types(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_literal(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM library_connectable(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);

// system_nif.cc
ERL_NIF_TERM system_new(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM system_route(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM system_credit(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);

// resource_nif.cc
ERL_NIF_TERM resource_new(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM subscribe(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM unsubscribe(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM start(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM reconfigure(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM run(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM describe(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM var_types(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM stats(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);

// resource_io_nif.cc: what goes into a resource and what is read out
ERL_NIF_TERM post(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM manage_answer(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM post_batch(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM post_raw(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM read(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM write(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM write_input(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM force(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM clear_force(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM forced(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);

// retain_nif.cc
ERL_NIF_TERM retain_capture(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM retain_restore(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);

// communication_nif.cc: the host's answers to communication blocks
ERL_NIF_TERM service_answer(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM service_data(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]);

}  // namespace plc::nif
