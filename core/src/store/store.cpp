#include "store/store.hpp"

#include "store/database_url.hpp"
#include "store/sql_store.hpp"

#include <filesystem>
#include <system_error>

namespace b3s::core::store {

const char* toString(StoreError::Kind kind) noexcept {
    switch (kind) {
        case StoreError::Kind::Unavailable: return "unavailable";
        case StoreError::Kind::Conflict: return "conflict";
        case StoreError::Kind::Stale: return "stale";
        case StoreError::Kind::Invalid: return "invalid";
        case StoreError::Kind::SchemaMismatch: return "schema_mismatch";
        case StoreError::Kind::Internal: return "internal";
    }
    return "internal";
}

const char* toString(AdminState s) noexcept {
    switch (s) {
        case AdminState::Init: return "init";
        case AdminState::Ready: return "ready";
        case AdminState::Stopped: return "stopped";
        case AdminState::Decommissioned: return "decommissioned";
    }
    // Not a valid state; the database's CHECK constraint rejects it as Invalid.
    return "unknown";
}

std::optional<AdminState> parseAdminState(std::string_view s) noexcept {
    for (auto state : {AdminState::Init, AdminState::Ready, AdminState::Stopped, AdminState::Decommissioned})
        if (s == toString(state)) return state;
    return std::nullopt;
}

namespace {

void createParentDirectory(const std::string& file) {
    const auto parent = std::filesystem::path(file).parent_path();
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec || !std::filesystem::is_directory(parent)) {
        throw StoreError(StoreError::Kind::Invalid,
                         "B3SCALE_DB_URL: cannot create the directory " + parent.string() +
                             " for the SQLite database: " + (ec ? ec.message() : "not a directory"));
    }
}

}  // namespace

std::unique_ptr<Store> openStore(const StoreOptions& options, const Clock& clock) {
    auto target = parseDatabaseUrl(options.url, options.connect_timeout_s);
    if (options.pool_size < 1) throw StoreError(StoreError::Kind::Invalid, "B3SCALE_DB_POOL_SIZE must be at least 1");
    if (target.kind == ConnectorKind::Sqlite) createParentDirectory(target.connection_string);
    return std::make_unique<SqlStore>(std::move(target), options, clock);
}

}  // namespace b3s::core::store
