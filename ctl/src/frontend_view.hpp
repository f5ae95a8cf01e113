#pragma once
// How frontends (tenants) look in `show frontends` (a table without secrets) and
// `show frontend` (details with the URL and secret to configure the tenant's application).

#include "api_endpoint.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <ostream>
#include <string>

namespace b3s::ctl {

/// Columns: KEY, STATE (enabled/disabled), ACCOUNT, ID, SETTINGS (only the members that are
/// set). Prints "no frontends" for an empty list.
void writeFrontendTable(std::ostream& out, const Poco::JSON::Array::Ptr& frontends);

/// Key, id, state, account, settings; then the BBB API URL and secret a tenant configures.
void writeFrontendDetails(std::ostream& out, const Poco::JSON::Object::Ptr& frontend, const ApiEndpoint& endpoint);

/// The settings as compact JSON without null, {} and [] members ("" when nothing is set).
std::string settingsSummary(const Poco::JSON::Object::Ptr& settings);

}  // namespace b3s::ctl
