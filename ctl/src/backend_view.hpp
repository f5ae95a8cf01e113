#pragma once
// How backends look in `show backends` (a table) and `show backend` (details): health, last
// poll, agent heartbeat and load at a glance (b3scale issue #152).

#include "time_text.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <ostream>

namespace b3s::ctl {

/// Columns: HOST, ADMIN, HEALTH, LAST POLL, AGENT, MEETINGS, ATTENDEES, LOAD, LATENCY, TAGS,
/// LAST ERROR. Prints "no backends" for an empty list.
void writeBackendTable(std::ostream& out, const Poco::JSON::Array::Ptr& backends, WallClock::time_point now);

/// Every field but the BBB secret, one per line.
void writeBackendDetails(std::ostream& out, const Poco::JSON::Object::Ptr& backend, WallClock::time_point now);

/// "no agent" when agent_ref is null, else the heartbeat's age ("2s ago", "never").
std::string agentSummary(const Poco::JSON::Object::Ptr& backend, WallClock::time_point now);

}  // namespace b3s::ctl
