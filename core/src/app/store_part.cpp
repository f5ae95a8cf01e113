#include "app/store_part.hpp"

#include "log/logger.hpp"
#include "store/database_url.hpp"

#include <fmt/format.h>

namespace b3s::core::app {
namespace {

const log::Logger& storeLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

int exitCodeOf(const store::StoreError& e) {
    return e.kind() == store::StoreError::Kind::Unavailable ? kExitUnavailable : kExitConfig;
}

}  // namespace

StorePart::StorePart(const config::CoreSettings& settings, const Clock& clock) {
    try {
        store::StoreOptions options;
        options.url = settings.db_url;
        options.pool_size = settings.db_pool_size;
        options.connect_timeout_s = settings.db_connect_timeout_s;
        store_ = store::openStore(options, clock);
    } catch (const store::StoreError& e) {
        throw StartupError(kExitConfig, "store_invalid", {{"variable", "B3SCALE_DB_URL"}, {"error", e.what()}});
    }
    const bool shared = store_->supportsSeveralInstances();
    storeLog().info("store_selected",
                    {{"connector", store_->connectorName()},
                     {"database", store_->describe()},
                     {"several_instances", shared ? "true" : "false"},
                     {"note", shared ? "several b3scaled instances may share this database"
                                     : "embedded single-node store; several b3scaled instances need PostgreSQL "
                                       "(B3SCALE_DB_URL=postgres://…)"}});
}

void StorePart::migrate() {
    try {
        const auto applied = store_->migrate();
        const auto status = store_->schemaStatus();
        storeLog().info("migrated", {{"applied", std::to_string(applied.size())},
                                     {"schema_version", std::to_string(status.current)}});
    } catch (const store::StoreError& e) {
        throw StartupError(exitCodeOf(e), "migration_failed",
                           {{"kind", std::string(store::toString(e.kind()))}, {"error", e.what()}});
    }
}

void StorePart::requireCurrentSchema() {
    store::SchemaStatus status;
    try {
        store_->ping();
        status = store_->schemaStatus();
    } catch (const store::StoreError& e) {
        throw StartupError(exitCodeOf(e), "store_unavailable", {{"database", store_->describe()}, {"error", e.what()}});
    }
    if (status.current < status.latest)
        throw StartupError(kExitConfig, "schema_outdated",
                           {{"schema_version", std::to_string(status.current)},
                            {"required", std::to_string(status.latest)},
                            {"error", fmt::format("the database schema is at version {}, this b3scaled needs "
                                                  "version {}: run `b3scaled --migrate` with the same "
                                                  "environment, then start b3scaled again",
                                                  status.current, status.latest)}});
    if (status.current > status.latest)
        throw StartupError(kExitConfig, "schema_newer",
                           {{"schema_version", std::to_string(status.current)},
                            {"required", std::to_string(status.latest)},
                            {"error", fmt::format("the database schema is at version {}, newer than this "
                                                  "b3scaled understands ({}): upgrade b3scaled",
                                                  status.current, status.latest)}});
}

}  // namespace b3s::core::app
