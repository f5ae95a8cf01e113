// B3SCALE_DB_URL parsing and openStore's checks: pure logic, no database.

#include "store/database_url.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace b3s::test {
namespace {

using store::ConnectorKind;
using store::parseDatabaseUrl;
using store::StoreError;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Runs `f`, expects StoreError(Invalid) and returns its message.
template <class F>
std::string invalidMessage(F&& f) {
    try {
        f();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::Invalid) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no StoreError thrown";
    return {};
}

TEST(DatabaseUrl, PostgresUrlWithPercentEncodedPasswordBecomesPocoPairs) {
    const auto t = parseDatabaseUrl("postgres://lb:p%40ss%3Aw0rd@127.0.0.1:5432/b3scale", 7);
    EXPECT_EQ(t.kind, ConnectorKind::Postgres);
    EXPECT_EQ(t.password, "p@ss:w0rd");
    for (const auto* pair : {"user=lb", "password=p@ss:w0rd", "host=127.0.0.1", "port=5432", "dbname=b3scale",
                             "application_name=b3scaled", "connect_timeout=7", "options=-cTimeZone=UTC"})
        EXPECT_TRUE(contains(" " + t.connection_string + " ", std::string(" ") + pair + " ")) << t.connection_string;
    EXPECT_FALSE(contains(t.connection_string, "  "));
    EXPECT_EQ(t.description, "postgres://lb:***@127.0.0.1:5432/b3scale");
}

TEST(DatabaseUrl, SettingsInTheUrlWinOverDefaults) {
    const auto t =
        parseDatabaseUrl("postgresql://lb:pw@[::1]:6432/db?application_name=mine&connect_timeout=2&sslmode=disable", 5);
    EXPECT_TRUE(contains(t.connection_string, "application_name=mine"));
    EXPECT_FALSE(contains(t.connection_string, "b3scaled"));
    EXPECT_TRUE(contains(t.connection_string, "connect_timeout=2"));
    EXPECT_FALSE(contains(t.connection_string, "connect_timeout=5"));
    EXPECT_TRUE(contains(t.connection_string, "host=::1"));
    EXPECT_TRUE(contains(t.connection_string, "sslmode=disable"));
}

TEST(DatabaseUrl, KeyValueStringIsAccepted) {
    const auto t = parseDatabaseUrl("host=db.example port=5433 dbname=b3s user=lb password=hunter22", 5);
    EXPECT_EQ(t.kind, ConnectorKind::Postgres);
    EXPECT_TRUE(contains(t.connection_string, "host=db.example"));
    EXPECT_TRUE(contains(t.connection_string, "password=hunter22"));
    EXPECT_EQ(t.description, "host=db.example port=5433 dbname=b3s user=lb password=***");
}

TEST(DatabaseUrl, DescriptionMasksPasswordQueryParameter) {
    EXPECT_EQ(store::maskDatabaseUrl("postgres://lb@h/db?sslmode=disable&password=hunter22"),
              "postgres://lb@h/db?sslmode=disable&password=***");
    EXPECT_EQ(store::maskDatabaseUrl("postgres://h/db"), "postgres://h/db");
    EXPECT_EQ(store::maskDatabaseUrl("user=lb password='a b' host=h"), "user=lb password=*** host=h");
}

TEST(DatabaseUrl, SqliteAbsolutePath) {
    const auto t = parseDatabaseUrl("sqlite:///var/lib/b3scale/b3scale.db", 5);
    EXPECT_EQ(t.kind, ConnectorKind::Sqlite);
    EXPECT_EQ(t.connection_string, "/var/lib/b3scale/b3scale.db");
    EXPECT_EQ(t.description, "sqlite:///var/lib/b3scale/b3scale.db");
}

TEST(DatabaseUrl, SqliteRelativePathIsRefused) {
    const auto m = invalidMessage([] { parseDatabaseUrl("sqlite://relative.db", 5); });
    EXPECT_TRUE(contains(m, "B3SCALE_DB_URL")) << m;
    EXPECT_TRUE(contains(m, "absolute")) << m;
}

TEST(DatabaseUrl, GarbageIsInvalidAndNamesTheVariable) {
    for (const auto* url : {"", "   ", "mysql://u:p@h/db", "just-text", "sqlite:relative.db"}) {
        const auto m = invalidMessage([&] { parseDatabaseUrl(url, 5); });
        EXPECT_TRUE(contains(m, "B3SCALE_DB_URL")) << url << " -> " << m;
    }
}

TEST(DatabaseUrl, ParseErrorsNeverShowThePassword) {
    for (const auto* url : {"postgres://lb:hunter22%zz@h/db", "postgres://lb:hunter22@h/db?bogus_option=1",
                            "host=h password=hunter22 dangling", "postgres://lb:hunter22@[::1/db"}) {
        const auto m = invalidMessage([&] { parseDatabaseUrl(url, 5); });
        EXPECT_TRUE(contains(m, "B3SCALE_DB_URL")) << m;
        EXPECT_FALSE(contains(m, "hunter22")) << m;
    }
}

TEST(DatabaseUrl, ValuesPocoCannotCarryAreRefusedByName) {
    const auto m = invalidMessage([] { parseDatabaseUrl("host=h user=lb password='hunter 22'", 5); });
    EXPECT_TRUE(contains(m, "B3SCALE_DB_URL")) << m;
    EXPECT_TRUE(contains(m, "'password'")) << m;
    EXPECT_FALSE(contains(m, "hunter")) << m;
    const auto m2 = invalidMessage([] { parseDatabaseUrl("postgres://lb:hunter%2022@h/db", 5); });
    EXPECT_FALSE(contains(m2, "hunter")) << m2;
}

TEST(DatabaseUrl, RedactSecretReplacesEveryOccurrence) {
    EXPECT_EQ(store::redactSecret("a hunter22 b hunter22", "hunter22"), "a *** b ***");
    EXPECT_EQ(store::redactSecret("unchanged", ""), "unchanged");
}

TEST(OpenStore, CreatesTheParentDirectoryOfASqliteFile) {
    TempDir dir;
    const auto file = dir.path() / "a" / "b" / "b3scale.db";
    ManualCoreClock clock;
    auto options = optionsFor("sqlite://" + file.string());
    auto s = store::openStore(options, clock);
    EXPECT_TRUE(std::filesystem::is_directory(file.parent_path()));
    EXPECT_EQ(s->connectorName(), "sqlite");
    EXPECT_FALSE(s->supportsSeveralInstances());
    EXPECT_EQ(s->describe(), "sqlite://" + file.string());
}

TEST(OpenStore, UncreatableSqliteDirectoryNamesTheVariable) {
    TempDir dir;
    const auto blocker = dir.path() / "plain-file";
    std::ofstream(blocker) << "x";
    ManualCoreClock clock;
    const auto m = invalidMessage(
        [&] { store::openStore(optionsFor("sqlite://" + (blocker / "sub" / "b3s.db").string()), clock); });
    EXPECT_TRUE(contains(m, "B3SCALE_DB_URL")) << m;
}

TEST(OpenStore, PostgresStoreDescribesItselfWithoutPassword) {
    ManualCoreClock clock;
    auto s = store::openStore(optionsFor("postgres://lb:hunter22@127.0.0.1:5432/b3scale"), clock);
    EXPECT_EQ(s->connectorName(), "postgresql");
    EXPECT_TRUE(s->supportsSeveralInstances());
    EXPECT_EQ(s->describe(), "postgres://lb:***@127.0.0.1:5432/b3scale");
}

TEST(OpenStore, PoolSizeBelowOneIsInvalid) {
    ManualCoreClock clock;
    auto options = optionsFor("postgres://lb@127.0.0.1/b3scale");
    options.pool_size = 0;
    invalidMessage([&] { store::openStore(options, clock); });
}

}  // namespace
}  // namespace b3s::test
