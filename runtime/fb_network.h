// An FB network as written by its author (IEC 61499-1 5.3 / 6.2): FB
// instances with parameters and event and data connections, all by name.
// Resource::load resolves it into indices; nothing here is used at run time.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace plc {

struct Parameter {
  std::string name;     // data input of the instance
  std::string literal;  // IEC 61131-3 literal, e.g. "T#250ms", "16#FF"
};

struct FbInstanceDecl {
  std::string name;
  std::string type;
  std::vector<Parameter> parameters;
  std::string where;  // source location for diagnostics, may be empty
};

struct ConnectionDecl {
  std::string source;       // "FB.PORT"
  std::string destination;  // "FB.PORT"
  std::string where;
};

struct FbNetwork {
  std::vector<FbInstanceDecl> fbs;
  std::vector<ConnectionDecl> event_connections;
  std::vector<ConnectionDecl> data_connections;
};

}  // namespace plc
