// Precompiled into every object of the fuzz build (run.sh): the heavy
// headers nearly every source includes, parsed once instead of 40 times.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "runtime/composite.h"
#include "runtime/device.h"
#include "runtime/fb_type_builder.h"
#include "runtime/language/compiler.h"
#include "runtime/language/lexer.h"
#include "runtime/language/parser.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"
