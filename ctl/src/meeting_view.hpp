#pragma once
// How meetings look in `show meetings`: one line per meeting, cluster-wide.

#include "time_text.hpp"

#include <Poco/JSON/Array.h>

#include <map>
#include <ostream>
#include <string>

namespace b3s::ctl {

/// Columns: FRONTEND, MEETING ID (the tenant's own id), NAME, BACKEND (host from
/// `backend_hosts` by backend id; "-" when unbound; "lost (…)" for a meeting lost with an
/// offline backend, to be re-created on its next join), ATTENDEES (BBB's participant count, "-"
/// when unknown), CREATED (age). NAME and ATTENDEES are left out when no meeting has them.
/// Prints "no meetings" for an empty list.
void writeMeetingTable(std::ostream& out, const Poco::JSON::Array::Ptr& meetings,
                       const std::map<std::string, std::string>& backend_hosts, WallClock::time_point now);

}  // namespace b3s::ctl
