#pragma once
// PostgreSQL for tests: the shared throwaway cluster the CTest fixture `postgres` starts
// (tests/support/scripts/pg-up.sh, URL in $B3S_TEST_PG_DIR/url), a fresh database per test
// that is dropped afterwards, raw libpq access that bypasses the store, and clusters of a
// test's own for tests that stop, restart or freeze the server.

#include "temp_dir.hpp"

#include <optional>
#include <string>

struct pg_conn;  // libpq's PGconn

namespace b3s::test {

/// URL of the fixture cluster. Throws std::runtime_error saying how to get one when the
/// fixture did not run: tests never pass silently without PostgreSQL.
std::string fixturePostgresUrl();

/// `url` (postgres://…/db) pointing at database `name` instead.
std::string withDatabaseName(const std::string& url, const std::string& name);

/// A libpq connection for test set-up and checks.
class PgConnection {
public:
    explicit PgConnection(const std::string& url);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    void execute(const std::string& sql);
    /// First column of the first row, nullopt for NULL or no row.
    std::optional<std::string> scalar(const std::string& sql);

private:
    ::pg_conn* conn_;
};

/// An empty database of its own on a cluster (the fixture's by default), dropped with every
/// connection still open to it (WITH (FORCE): a b3scaled may not have let go yet) when the
/// object goes. Destroy it before the cluster it lives on.
class PgDatabase {
public:
    explicit PgDatabase(const std::string& cluster_url = fixturePostgresUrl());
    ~PgDatabase();
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;
    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }

private:
    std::string cluster_url_;
    std::string name_;
    std::string url_;
};

/// A PostgreSQL cluster of the test's own (pg-up.sh into a temporary directory), for tests
/// that stop, restart or freeze the server; pg-down.sh removes it on destruction.
class PgCluster {
public:
    /// `timezone` (e.g. America/St_Johns) sets the server's default TimeZone.
    explicit PgCluster(const std::string& timezone = {});
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;
    const std::string& url() const { return url_; }
    /// pg-ctl.sh start|stop|restart.
    void control(const std::string& action);
    void stop() { control("stop"); }
    void start() { control("start"); }
    void restart() { control("restart"); }
    /// SIGSTOP / SIGCONT every process of the cluster: queries hang instead of failing.
    void freeze();
    void thaw();

private:
    std::string dir() const;
    TempDir dir_;
    std::string url_;
};

}  // namespace b3s::test
