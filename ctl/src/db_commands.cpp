// db migrate
#include "commands.hpp"

#include "json_text.hpp"
#include "status_view.hpp"

namespace b3s::ctl {

namespace {

int migrate(CtlContext& ctx) {
    auto& api = ctx.api();  // errors are reported (b3scale exited 0 when it had no client)
    const auto status = api.get("").object();
    const auto database = objectMember(status, "database");
    if (database && !boolMember(database, "available", true))
        throw CtlError("b3scaled cannot reach its database" + (optionalStringMember(database, "error")
                                                                   ? ": " + stringMember(database, "error")
                                                                   : std::string()));
    const int pending = pendingMigrations(status);
    if (pending <= 0) {
        ctx.out() << "There are currently no migrations to apply.\nThe database is up to date.\n";
        return kExitOk;
    }
    ctx.out() << "Applying " << pending << " pending migration" << (pending == 1 ? "" : "s") << " to the database.\n"
              << std::flush;
    const auto result = api.post("ctrl/migrate", "").object();
    if (const auto error = optionalStringMember(result, "error")) throw CtlError("migration failed: " + *error);
    ctx.out() << "Migration successful.\n\n";
    writeStatus(ctx.out(), api.get("").object(), ctx.endpoint().url);
    return kExitOk;
}

}  // namespace

CommandSpec dbCommand(CtlContext& ctx) {
    CommandSpec db;
    db.name = "db";
    db.summary = "database schema";

    CommandSpec migrate_command;
    migrate_command.name = "migrate";
    migrate_command.summary = "apply pending database migrations";
    migrate_command.description =
        "Asks b3scaled to apply the database migrations its schema still lacks (POST\n"
        "/api/v1/ctrl/migrate) and shows the new schema version. Does nothing when the schema is\n"
        "current.";
    migrate_command.action = [&ctx](const Invocation&) { return migrate(ctx); };

    db.subcommands = {migrate_command};
    return db;
}

}  // namespace b3s::ctl
