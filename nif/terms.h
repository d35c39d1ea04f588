// Decoding and encoding Erlang terms for the NIF. Every decoder checks the
// term and reports failure; nothing here trusts its input.
#pragma once

#include <erl_nif.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/fb_network.h"
#include "runtime/fb_type.h"
#include "runtime/resource.h"
#include "runtime/status.h"

namespace plc::nif {

// A binary or a charlist (iolist_to_binary semantics are not needed).
std::optional<std::string> get_string(ErlNifEnv* env, ERL_NIF_TERM t);
std::optional<std::vector<ERL_NIF_TERM>> get_list(ErlNifEnv* env, ERL_NIF_TERM t);
std::optional<std::vector<ERL_NIF_TERM>> get_tuple(ErlNifEnv* env, ERL_NIF_TERM t, int arity);
std::optional<uint64_t> get_uint(ErlNifEnv* env, ERL_NIF_TERM t);
// Reads a map entry whose key is the atom `key`; nullopt when absent.
std::optional<ERL_NIF_TERM> get_map_value(ErlNifEnv* env, ERL_NIF_TERM map, const char* key);

ERL_NIF_TERM make_binary(ErlNifEnv* env, const std::string& s);
ERL_NIF_TERM make_atom(ErlNifEnv* env, const char* name);
// A REAL/LREAL: a float, or the atom infinity, neg_infinity or nan (an
// Erlang float cannot hold those; enif_make_double would fail).
ERL_NIF_TERM make_real(ErlNifEnv* env, double d);
// A float, an integer, or one of make_real's atoms.
std::optional<double> get_real(ErlNifEnv* env, ERL_NIF_TERM t);
// Every value of every elementary type encodes to a valid term.
ERL_NIF_TERM make_value(ErlNifEnv* env, DataType t, Value v);
// A whole variable: scalars as above, STRING/WSTRING as binaries, arrays as
// lists, STRUCTs as maps of member name => value.
ERL_NIF_TERM make_var(ErlNifEnv* env, const VarDecl& var, const Value* slots);
// Decodes an Erlang term into a value of type `t`; nullopt when it does not fit.
std::optional<Value> get_value(ErlNifEnv* env, ERL_NIF_TERM term, DataType t);

// Decodes a whole variable into its var.slots() values (as make_var
// encodes it: a STRUCT as a map with every member by name); false when it does not fit.
bool get_var(ErlNifEnv* env, ERL_NIF_TERM term, const VarDecl& var, Value* slots);

// Raises error:{badarg, Reason} in the calling process; return its result.
ERL_NIF_TERM raise_badarg(ErlNifEnv* env, const std::string& reason);

ERL_NIF_TERM ok_tuple(ErlNifEnv* env, ERL_NIF_TERM t);
// What every NIF on a resource handle returns once the resource is stopped
// (its owner died): {error, stopped}, a value, not an exception, so that a
// caller racing a restart (plc_dist, plc:inject) tells it from its own bug
// without matching a message.
ERL_NIF_TERM stopped(ErlNifEnv* env);
// What an enqueueing NIF returns when the resource's inbox is full.
ERL_NIF_TERM inbox_full(ErlNifEnv* env);
ERL_NIF_TERM binaries(ErlNifEnv* env, const std::vector<std::string>& items);
// {error, [Diagnostic]}: the errors of `d` (not its warnings) as binaries.
ERL_NIF_TERM error_list(ErlNifEnv* env, const Diagnostics& d);

// A resource spec's options (queue_capacity, event_budget,
// instruction_budget, max_algorithm_slices, inbox_capacity) and network
// (fbs, events, data); false with the reason when one does not fit.
bool get_options(ErlNifEnv* env, ERL_NIF_TERM spec, ResourceOptions& opts, std::string& why);
bool get_network(ErlNifEnv* env, ERL_NIF_TERM spec, FbNetwork& net, std::string& why);

}  // namespace plc::nif
