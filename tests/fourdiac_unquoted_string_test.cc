// 4diac files write a STRING or WSTRING parameter without quotes
// (ID="239.0.0.1:61000", as 4diac-examples do) and FORTE's fromString
// reads such a value as the text itself: adapt_literal quotes it.
#include <catch2/catch.hpp>

#include "runtime/fourdiac/var_declaration.h"

using namespace plc;
using plc::fourdiac::adapt_literal;

TEST_CASE("An unquoted STRING or WSTRING parameter is its text, quoted", "[fourdiac][net]") {
  CHECK(adapt_literal(DataType::kWstring, "239.0.0.1:61000") == "'239.0.0.1:61000'");
  CHECK(adapt_literal(DataType::kWstring, "fbdk[].ip[localhost:61500]") == "'fbdk[].ip[localhost:61500]'");
  CHECK(adapt_literal(DataType::kString, "it's $5") == "'it$'s $$5'");
  CHECK(adapt_literal(DataType::kString, "T#1s") == "'T#1s'");  // FORTE takes the text, not a TIME
}

TEST_CASE("A quoted or typed STRING parameter stays as written", "[fourdiac][net]") {
  CHECK(adapt_literal(DataType::kWstring, "\"239.0.0.1:61000\"") == "\"239.0.0.1:61000\"");
  CHECK(adapt_literal(DataType::kString, "'x'") == "'x'");
  CHECK(adapt_literal(DataType::kString, "STRING#'x'") == "STRING#'x'");
  CHECK(adapt_literal(DataType::kWstring, "WSTRING#bad") == "WSTRING#bad");  // the checker refuses it
  CHECK(adapt_literal(DataType::kString, "") == "");
  CHECK(adapt_literal(DataType::kInt, "5") == "5");
}
