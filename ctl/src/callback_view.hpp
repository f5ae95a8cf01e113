#pragma once
// How callbacks look in `show callbacks`: one line per callback of the outbox.

#include "time_text.hpp"

#include <Poco/JSON/Array.h>

#include <ostream>

namespace b3s::ctl {

/// Columns: ID, FRONTEND (key), STATE, URL (user:password@ shown as ***@, shortened),
/// ATTEMPTS, LAST ERROR (shortened, "-" when none), AGE (since queued). Prints "no callbacks"
/// for an empty list.
void writeCallbackTable(std::ostream& out, const Poco::JSON::Array::Ptr& callbacks, WallClock::time_point now);

}  // namespace b3s::ctl
