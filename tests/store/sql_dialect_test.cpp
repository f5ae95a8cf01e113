// Dialect pieces and small conversions that need no database.

#include "store/sql_dialect.hpp"
#include "store/records.hpp"
#include "store/sql_store.hpp"
#include "store/store_error.hpp"
#include "store/tags_json.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

using store::StoreError;
using Kind = StoreError::Kind;

TEST(Placeholders, QuestionMarksBecomeNumberedOutsideQuotesAndComments) {
    EXPECT_EQ(store::toNumberedPlaceholders("SELECT a FROM t WHERE a = ? AND b = ?"),
              "SELECT a FROM t WHERE a = $1 AND b = $2");
    EXPECT_EQ(store::toNumberedPlaceholders("SELECT '?', 'it''s ?', \"odd?col\" FROM t WHERE x = ?"),
              "SELECT '?', 'it''s ?', \"odd?col\" FROM t WHERE x = $1");
    EXPECT_EQ(store::toNumberedPlaceholders("SELECT ? -- why?\n, ? /* what? */ , ?"),
              "SELECT $1 -- why?\n, $2 /* what? */ , $3");
    EXPECT_EQ(store::toNumberedPlaceholders("SELECT 'unterminated ?"), "SELECT 'unterminated ?");
}

TEST(Placeholders, SqliteKeepsQuestionMarks) {
    auto sqlite = store::makeDialect(store::ConnectorKind::Sqlite);
    EXPECT_EQ(sqlite->sql("a = ? AND b = ?"), "a = ? AND b = ?");
    auto pg = store::makeDialect(store::ConnectorKind::Postgres);
    EXPECT_EQ(pg->sql("a = ? AND b = ?"), "a = $1 AND b = $2");
}

TEST(PrefixMatch, WildcardsInThePrefixAreQuoted) {
    auto pg = store::makeDialect(store::ConnectorKind::Postgres);
    EXPECT_EQ(pg->prefixCondition("record_id"), "record_id LIKE ? ESCAPE '\\'");
    EXPECT_EQ(pg->prefixPattern("abc"), "abc%");
    EXPECT_EQ(pg->prefixPattern("a%b_c\\d*?["), "a\\%b\\_c\\\\d*?[%");
    EXPECT_EQ(pg->prefixPattern(""), "%");
    // The escape character is a literal backslash once numbered, not a placeholder or an escape.
    EXPECT_EQ(pg->sql(pg->prefixCondition("x") + " AND y = ?"), "x LIKE $1 ESCAPE '\\' AND y = $2");
    auto sqlite = store::makeDialect(store::ConnectorKind::Sqlite);
    EXPECT_EQ(sqlite->prefixCondition("record_id"), "record_id GLOB ?");
    EXPECT_EQ(sqlite->prefixPattern("abc"), "abc*");
    EXPECT_EQ(sqlite->prefixPattern("a*b?c[d]%_\\"), "a[*]b[?]c[[]d]%_\\*");
    EXPECT_EQ(sqlite->prefixPattern(""), "*");
}

TEST(Sqlstate, ParsedOutOfPocoText) {
    EXPECT_EQ(store::sqlstateFromText("ERROR: dup\n Severity: ERROR State: 23505 Detail: x"), "23505");
    EXPECT_EQ(store::sqlstateFromText("State: 57P01 "), "57P01");
    EXPECT_FALSE(store::sqlstateFromText("server closed the connection unexpectedly"));
    EXPECT_FALSE(store::sqlstateFromText("State: 23"));
}

TEST(Sqlstate, MapsToKinds) {
    EXPECT_EQ(store::classifySqlstate("23505").kind, Kind::Conflict);
    for (const auto* st : {"23502", "23503", "23514", "22P02", "22003"})
        EXPECT_EQ(store::classifySqlstate(st).kind, Kind::Invalid) << st;
    for (const auto* st : {"08006", "08001", "57P01", "57P02", "57P03"}) {
        EXPECT_EQ(store::classifySqlstate(st).kind, Kind::Unavailable) << st;
        EXPECT_TRUE(store::classifySqlstate(st).connection_lost) << st;
    }
    EXPECT_EQ(store::classifySqlstate("40001").kind, Kind::Unavailable);
    EXPECT_FALSE(store::classifySqlstate("40001").connection_lost);
    EXPECT_EQ(store::classifySqlstate("42P01").kind, Kind::Internal);
}

TEST(Classify, PostgresDropsRowValuesFromMessages) {
    auto pg = store::makeDialect(store::ConnectorKind::Postgres);
    const auto f = pg->classify({"PostgreSQL",
                                 "PostgreSQL: [PostgreSQL]: postgresql_stmt_execute error: ERROR:  new row for "
                                 "relation \"backends\" violates check constraint \"c\"\nDETAIL:  Failing row "
                                 "contains (topsecret).\n Severity: ERROR State: 23514 Detail: Failing row contains "
                                 "(topsecret). Hint: N/A Constraint: backends_load_factor_check",
                                 false, true});
    EXPECT_EQ(f.kind, Kind::Invalid);
    EXPECT_EQ(f.sqlstate, "23514");
    EXPECT_FALSE(f.connection_lost);
    EXPECT_EQ(f.message.find("topsecret"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("backends_load_factor_check"), std::string::npos) << f.message;
}

TEST(Classify, PostgresLostConnection) {
    auto pg = store::makeDialect(store::ConnectorKind::Postgres);
    const auto f = pg->classify({"PostgreSQL",
                                 "PostgreSQL: [PostgreSQL]: postgresql_stmt_prepare error: server closed the "
                                 "connection unexpectedly\n\tThis probably means the server terminated abnormally",
                                 false, false});
    EXPECT_EQ(f.kind, Kind::Unavailable);
    EXPECT_TRUE(f.connection_lost);
    const auto refused = pg->classify({"Connection attempt failed", "connection refused", true, true});
    EXPECT_TRUE(refused.connection_lost);
}

TEST(Classify, SqliteConstraintMessages) {
    auto lite = store::makeDialect(store::ConnectorKind::Sqlite);
    auto kindOf = [&](const char* text) { return lite->classify({"Constraint violation", text, false, true}).kind; };
    EXPECT_EQ(kindOf("Constraint violation: UNIQUE constraint failed: backends.host"), Kind::Conflict);
    EXPECT_EQ(kindOf("Constraint violation: CHECK constraint failed: backends_load_factor_check"), Kind::Invalid);
    EXPECT_EQ(kindOf("Constraint violation: NOT NULL constraint failed: backends.load_factor"), Kind::Invalid);
    EXPECT_EQ(kindOf("Constraint violation: FOREIGN KEY constraint failed"), Kind::Invalid);
    EXPECT_EQ(lite->classify({"Database locked", "database is locked", false, true}).kind, Kind::Unavailable);
}

TEST(StoreError, KindNames) {
    EXPECT_STREQ(store::toString(Kind::Unavailable), "unavailable");
    EXPECT_STREQ(store::toString(Kind::Conflict), "conflict");
    EXPECT_STREQ(store::toString(Kind::Stale), "stale");
    EXPECT_STREQ(store::toString(Kind::Invalid), "invalid");
    EXPECT_STREQ(store::toString(Kind::SchemaMismatch), "schema_mismatch");
    EXPECT_STREQ(store::toString(Kind::Internal), "internal");
}

TEST(AdminState, NamesRoundTrip) {
    using store::AdminState;
    for (auto s : {AdminState::Init, AdminState::Ready, AdminState::Stopped, AdminState::Decommissioned})
        EXPECT_EQ(store::parseAdminState(store::toString(s)), s);
    EXPECT_STREQ(store::toString(AdminState::Decommissioned), "decommissioned");
    EXPECT_FALSE(store::parseAdminState("error"));
    EXPECT_FALSE(store::parseAdminState("Ready"));
    EXPECT_FALSE(store::parseAdminState(""));
}

TEST(Uuid, CanonicalFormIsLowercase) {
    EXPECT_EQ(store::canonicalUuid("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    EXPECT_EQ(store::canonicalUuid("0f1e2d3c4b5a69788796a5b4c3d2e1f0"), "");
    EXPECT_EQ(store::canonicalUuid("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg"), "");
    EXPECT_EQ(store::canonicalUuid(""), "");
}

TEST(TagsJson, RoundTripsAwkwardStrings) {
    const std::vector<std::string> tags{"bbb_26", "", "ünïcødé ✓", "quote\"back\\slash", "tab\tnl\nctl\x01"};
    EXPECT_EQ(store::tagsFromJson(store::tagsToJson(tags)), tags);
    EXPECT_EQ(store::tagsToJson({}), "[]");
    EXPECT_EQ(store::tagsToJson({"a", "b"}), R"(["a", "b"])");
    EXPECT_EQ(store::tagsFromJson(R"([ "x" ,"y"])"), (std::vector<std::string>{"x", "y"}));
    EXPECT_THROW(store::tagsFromJson(R"({"a": 1})"), StoreError);
    EXPECT_THROW(store::tagsFromJson(R"([1])"), StoreError);
}

}  // namespace
}  // namespace b3s::test
