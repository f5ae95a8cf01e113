#include "status_view.hpp"

#include "json_text.hpp"
#include "text_table.hpp"

#include <fmt/format.h>

namespace b3s::ctl {

int pendingMigrations(const Poco::JSON::Object::Ptr& status) {
    return static_cast<int>(numberMember(objectMember(status, "database"), "pending_migrations"));
}

void writeStatus(std::ostream& out, const Poco::JSON::Object::Ptr& status, const std::string& api_url) {
    const auto database = objectMember(status, "database");
    const auto migration = objectMember(database, "migration");
    std::string schema = "not initialized";
    if (migration)
        schema = fmt::format("v{}, '{}', applied at: {}", static_cast<long long>(numberMember(migration, "version")),
                             stringMember(migration, "description"), stringMember(migration, "applied_at"));
    out << "b3scale @ " << api_url << "\n";
    std::vector<std::pair<std::string, std::string>> rows = {
        {"Server version", stringMember(status, "version") + " (build " + stringMember(status, "build") + ")"},
        {"API version", stringMember(status, "api")},
        {"Account", stringMember(status, "account_ref")},
        {"Database", stringMember(database, "database", "-")},
        {"Schema", schema},
    };
    if (database && !boolMember(database, "available", true)) rows.emplace_back("Database available", "no");
    if (const auto error = optionalStringMember(database, "error")) rows.emplace_back("Database Error", *error);
    writeDetails(out, rows);
    if (const int pending = pendingMigrations(status); pending > 0)
        out << "\nWARNING: the database has " << pending << " pending migration" << (pending == 1 ? "" : "s")
            << ".\n         Run 'b3scalectl db migrate' to apply them.\n";
}

}  // namespace b3s::ctl
