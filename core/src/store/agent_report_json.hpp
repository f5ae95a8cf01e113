#pragma once
// A node agent's report (AgentReport) as the JSON text stored in backends.agent_report:
// `{"at_us": 1, "attendees": 3, "cpu": 0.4, …}`, absent figures left out.

#include "store/records.hpp"

#include <string>
#include <string_view>

namespace b3s::core::store {

std::string agentReportToJson(const AgentReport& report);

/// Inverse of agentReportToJson; members of another type than written are left absent.
/// Throws StoreError(Internal) for text that is not a JSON object.
AgentReport agentReportFromJson(std::string_view json);

}  // namespace b3s::core::store
