// Adapters (IEC 61499-1 5.5; 4diac AdapterType, .adp files), flattened: the
// engine has no adapter objects, so an FB's plug or socket becomes ports of
// the FB itself and an adapter connection becomes the bundle of event and
// data connections it stands for.
//
// An adapter type declares an interface. Its event inputs (and input
// variables) travel from the socket to the plug, its event outputs (and
// output variables) from the plug to the socket; so an FB with a socket
// `adp` sends adp.REQ and receives adp.CNF of an adapter declaring REQ as
// input and CNF as output, and an FB with a plug does the opposite. The FB
// then has, for every port P of the adapter, a port named "adp$P" (the '$'
// cannot occur in a 4diac name, so it cannot clash, and it keeps the
// engine's "FB.PORT" paths unambiguous): an event or data output for what
// it sends, an input for what it receives, with the adapter's WITH lists
// and initial values. Inside an FB's ECC and algorithms, `adp.REQ` and
// `adp.DI1` name those ports.
//
// An adapter connection between a plug and a socket of the same adapter
// type becomes one event connection per adapter event and one data
// connection per adapter variable, each in the direction it travels. Data
// therefore travels with its adapter event like any other.
//
// Inside a composite, the composite's own plug or socket is seen from the
// inside: its plug acts as a socket and its socket as a plug.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

struct AdapterType {
  std::string name;
  std::vector<lang::EventDeclAst> event_inputs, event_outputs;  // as declared
  std::vector<lang::VarDeclAst> inputs, outputs;
};

// A plug or socket of an FB type.
struct AdapterDecl {
  std::string name;  // "adp"
  std::string type;  // the adapter type's name
  bool plug = false;
};

// The name of the FB port standing for `port` of adapter `adapter`: "adp$REQ".
std::string adapter_port(std::string_view adapter, std::string_view port);

// Reads an AdapterType document; nullopt (reported) when it cannot.
std::optional<AdapterType> import_adapter_type(const LibraryElement& x, TypeContext& ctx);

// Adds the ports standing for adapter `d` (of type `a`) to an FB type.
void add_adapter_ports(const AdapterDecl& d, const AdapterType& a, lang::FbTypeAst& fb);

// One connection of an adapter bundle, in travel direction.
struct BundleConnection {
  std::string source, destination;
  bool data = false;
};

// The connections an adapter connection stands for. `a` and `b` are the two
// ends ("FB.adp", or "adp" for a composite's own adapter seen from inside),
// `a_provides` / `b_provides` whether that end sends the adapter's event
// inputs (a socket of an FB, a plug of the composite seen from inside).
// Empty with `error` set when the ends do not fit.
std::vector<BundleConnection> adapter_bundle(const AdapterType& t, const std::string& a, bool a_provides,
                                             const std::string& b, bool b_provides, std::string& error);

}  // namespace plc::fourdiac
