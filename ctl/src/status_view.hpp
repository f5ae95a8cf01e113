#pragma once
// The API status (GET /api/v1) as `b3scalectl` without a command and `db migrate` print it.

#include <Poco/JSON/Object.h>

#include <ostream>
#include <string>

namespace b3s::ctl {

/// "b3scale @ <url>", server and API version, the database, its schema version and a
/// warning to run `b3scalectl db migrate` when migrations are pending.
void writeStatus(std::ostream& out, const Poco::JSON::Object::Ptr& status, const std::string& api_url);

/// Pending migrations in a status object (0 when unknown).
int pendingMigrations(const Poco::JSON::Object::Ptr& status);

}  // namespace b3s::ctl
