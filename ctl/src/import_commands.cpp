// import b3scale: frontends and backends from b3scale's (Go) PostgreSQL database
#include "commands.hpp"

#include "backend_host.hpp"
#include "import_plan.hpp"
#include "json_text.hpp"
#include "legacy_database.hpp"

#include <exception>
#include <map>
#include <set>

namespace b3s::ctl {

namespace {

using Action = ImportStep::Action;

struct Tally {
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int skipped = 0;
    int failed = 0;
};

/// Our rows by their identity (frontend key, normalised backend host).
std::map<std::string, Poco::JSON::Object::Ptr> indexed(const Poco::JSON::Array::Ptr& list, const char* field,
                                                       bool host) {
    std::map<std::string, Poco::JSON::Object::Ptr> out;
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto item = list->getObject(static_cast<unsigned>(i));
        if (!item) continue;
        std::string name = stringMember(objectMember(item, "bbb"), field);
        if (host) {
            try {
                name = normaliseBackendHost(name);
            } catch (const UsageError&) {
                // stored in a form we would not write: matched as it is
            }
        }
        out.emplace(name, item);
    }
    return out;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
}

/// An answer that says something about this one item (a refused value, a conflict), after
/// which the others are still worth trying; anything else (no server, a refused token, a
/// server error) stops the import.
bool itemRefusal(const ApiError& e) {
    return e.status() == 400 || e.status() == 404 || e.status() == 409 || e.status() == 413;
}

class Importer {
public:
    Importer(CtlContext& ctx, bool dry) : ctx_(ctx), dry_(dry) {}

    void run(const LegacyRows& rows) {
        auto& api = ctx_.api();
        const auto backends = indexed(api.get("backends").array(), "host", true);
        const auto frontends = indexed(api.get("frontends").array(), "key", false);

        std::set<std::string> seen;
        for (const auto& row : rows.backends) {
            const auto wanted = mapBackend(row);
            const auto found = backends.find(wanted.host);
            auto step = planBackend(wanted, found == backends.end() ? nullptr : found->second);
            if (step.action != Action::Skip && !seen.insert(wanted.host).second) step = duplicate(step, "host");
            if (!apply(step)) return;
        }
        seen.clear();
        for (const auto& row : rows.frontends) {
            const auto wanted = mapFrontend(row);
            const auto found = frontends.find(wanted.key);
            auto step = planFrontend(wanted, found == frontends.end() ? nullptr : found->second);
            if (!seen.insert(wanted.key).second) step = duplicate(step, "key");
            if (!apply(step)) return;
        }
    }

    void summary() {
        auto& out = ctx_.out();
        if (dry_) {
            out << "dry run: " << tally_.created << " to create, " << tally_.updated << " to update, "
                << tally_.unchanged << " unchanged, " << tally_.skipped << " skipped; nothing was changed\n";
        } else {
            out << tally_.created << " created, " << tally_.updated << " updated, " << tally_.unchanged
                << " unchanged, " << tally_.skipped << " skipped";
            if (tally_.failed > 0) out << ", " << tally_.failed << " failed";
            out << "\n";
        }
        if (stopped_) {
            // The error itself is the one line on stderr, as for any command (with its hints).
            out << "import stopped after " << done() << (done() == 1 ? " change" : " changes") << "\n";
            out.flush();
            std::rethrow_exception(stopped_);
        }
        out.flush();
        if (tally_.failed > 0)
            throw CtlError("import incomplete: " + std::to_string(tally_.failed) +
                           (tally_.failed == 1 ? " change was" : " changes were") + " refused (see above)");
    }

private:
    int done() const { return tally_.created + tally_.updated; }

    static ImportStep duplicate(ImportStep step, const char* what) {
        step.action = Action::Skip;
        step.skip_reason = std::string("another row of the b3scale database has the same ") + what;
        step.method.clear();
        return step;
    }

    /// Prints the step and, unless this is a dry run, sends it. False when the import stops.
    bool apply(const ImportStep& step) {
        auto& out = ctx_.out();
        const std::string who = step.kind + " " + step.name + ": ";
        const std::string detail = step.changes.empty() ? "" : " (" + joined(step.changes) + ")";
        for (const auto& warning : step.warnings) out << "warning: " << warning << "\n";
        switch (step.action) {
            case Action::Unchanged:
                ++tally_.unchanged;
                out << who << "unchanged\n";
                return true;
            case Action::Skip:
                ++tally_.skipped;
                out << who << "not imported: " << step.skip_reason << "\n";
                return true;
            case Action::Create:
            case Action::Update: break;
        }
        const bool create = step.action == Action::Create;
        if (dry_) {
            ++(create ? tally_.created : tally_.updated);
            out << who << (create ? "create" : "update") << detail << "\n";
            return true;
        }
        try {
            if (create)
                ctx_.api().post(step.resource, step.body);
            else
                ctx_.api().patch(step.resource, step.body);
        } catch (const ApiError& e) {
            out << who << (create ? "create" : "update") << " refused: " << e.what() << "\n";
            if (itemRefusal(e)) {
                ++tally_.failed;
                return true;
            }
            stopped_ = std::current_exception();
            return false;
        } catch (const CtlError& e) {
            out << who << (create ? "create" : "update") << " failed: " << e.what() << "\n";
            stopped_ = std::current_exception();
            return false;
        }
        ++(create ? tally_.created : tally_.updated);
        out << who << (create ? "created" : "updated") << detail << "\n";
        return true;
    }

    CtlContext& ctx_;
    bool dry_;
    Tally tally_;
    std::exception_ptr stopped_;  ///< what stopped the import, rethrown after the summary
};

int importB3scale(CtlContext& ctx, const Invocation& inv) {
    const std::string from = inv.value("from").value_or("");
    if (from.empty()) throw UsageError("--from needs the b3scale database's URL", "import b3scale");
    // Read everything first: an unreachable or foreign database changes nothing here.
    const auto rows = readLegacyDatabase(from);
    Importer importer(ctx, inv.flag("dry"));
    importer.run(rows);
    importer.summary();
    return kExitOk;
}

}  // namespace

CommandSpec importCommand(CtlContext& ctx) {
    CommandSpec import_command;
    import_command.name = "import";
    import_command.summary = "bring frontends and backends over from another b3scale";

    CommandSpec b3scale;
    b3scale.name = "b3scale";
    b3scale.summary = "import the frontends and backends of b3scale's (Go) database";
    b3scale.description =
        "Reads the frontends and backends of a b3scale (Go) PostgreSQL database, read-only, and\n"
        "creates or updates them here through the REST API (so it works on either store).\n"
        "Frontends are matched by key, backends by host; the b3scale database wins for what it\n"
        "has, and nothing that only this b3scale has is changed or deleted. Safe to run again:\n"
        "a second run says '0 created, 0 updated, N unchanged'.\n"
        "\n"
        "--from is the database as b3scale's B3SCALE_DB_URL named it: a postgres:// URL or a\n"
        "libpq key=value string. Leave its password to PGPASSWORD or ~/.pgpass (a command line\n"
        "shows in the process list). --dry prints the plan (what would be created or updated,\n"
        "and which fields; secrets only as 'secret: changed') and changes nothing.\n"
        "\n"
        "Frontends keep key, secret, active, account_ref and their settings. Backends keep host\n"
        "(as …/bigbluebutton/api/), secret, tags, load factor, admin state (ready, init, stopped;\n"
        "error becomes stopped) and agent_ref; decommissioned backends are not imported, node\n"
        "states neither (b3scaled polls every backend itself). A setting without an equivalent\n"
        "here is named in a warning line and not imported.\n"
        "\n"
        "Exit codes: 0 done; 1 when the database cannot be read, or when a change was refused\n"
        "(the others are still made and listed).";
    b3scale.flags = {{"from",
                      {},
                      "DB",
                      "b3scale's database: postgres://user:pw@host/b3scale or key=value",
                      false,
                      /*required=*/true},
                     {"dry", {"dry-run"}, "", "print the plan, change nothing"}};
    b3scale.action = [&ctx](const Invocation& inv) { return importB3scale(ctx, inv); };

    import_command.subcommands = {b3scale};
    return import_command;
}

}  // namespace b3s::ctl
