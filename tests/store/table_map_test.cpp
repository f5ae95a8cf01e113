// The row maps (core/src/store/table_maps.hpp) against the migrated schema of both
// connectors: every mapped column exists with a matching type and NULL-ability (a NULL-able
// column must be read through Poco::Nullable), every column of a mapped table is mapped or
// listed as unmapped, and every table is mapped or listed as having no map.

#include "store/store.hpp"
#include "store/table_maps.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

namespace b3s::test {
namespace {

struct SchemaColumn {
    std::string type;  ///< as the database names it, lower case
    bool nullable = true;
};
using SchemaTable = std::map<std::string, SchemaColumn>;

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, separator);)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class TableMap : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        try {
            db_ = TestDatabase::create(GetParam());
        } catch (const std::exception& e) {
            FAIL() << "cannot create the " << engineName(GetParam()) << " test database: " << e.what();
        }
        store::openStore(optionsFor(db_->url()), clock_)->migrate();
    }

    bool postgres() const { return GetParam() == Engine::Postgres; }

    std::set<std::string> tables() {
        const auto list = db_->scalar(postgres() ? "SELECT string_agg(table_name, ',') FROM information_schema.tables "
                                                   "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                                                 : "SELECT group_concat(name, ',') FROM sqlite_master "
                                                   "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        const auto names = split(list.value_or(""), ',');
        return {names.begin(), names.end()};
    }

    // name|type|YES or NO, one per column.
    SchemaTable columns(const std::string& table) {
        const auto list =
            db_->scalar(postgres() ? "SELECT string_agg(column_name || '|' || data_type || '|' || is_nullable, ',') "
                                     "FROM information_schema.columns WHERE table_schema = current_schema() "
                                     "AND table_name = '" +
                                         table + "'"
                                   // SQLite reports an INTEGER PRIMARY KEY (the rowid) as NULL-able; it never is.
                                   : "SELECT group_concat(name || '|' || type || '|' || CASE WHEN \"notnull\" = 1 OR "
                                     "(pk = 1 AND upper(type) = 'INTEGER') THEN 'NO' ELSE 'YES' END, ',') "
                                     "FROM pragma_table_info('" +
                                         table + "')");
        SchemaTable out;
        for (const auto& entry : split(list.value_or(""), ',')) {
            const auto parts = split(entry, '|');
            if (parts.size() != 3) {
                ADD_FAILURE() << "unexpected schema entry " << entry;
                continue;
            }
            out[parts[0]] = SchemaColumn{lower(parts[1]), parts[2] == "YES"};
        }
        return out;
    }

    // The column types a mapped value may be stored in, per connector.
    std::set<std::string> typesFor(store::ColumnValue value) const {
        using V = store::ColumnValue;
        switch (value) {
            case V::Text: return postgres() ? std::set<std::string>{"text", "uuid"} : std::set<std::string>{"text"};
            case V::Json: return {postgres() ? "jsonb" : "text"};
            case V::Int32: return {"integer"};
            case V::Int64: return {postgres() ? "bigint" : "integer"};
            case V::Double: return {postgres() ? "double precision" : "real"};
            case V::Bool: return {postgres() ? "boolean" : "integer"};
        }
        return {};
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
};

std::string paramName(const ::testing::TestParamInfo<Engine>& info) {
    return engineName(info.param);
}

INSTANTIATE_TEST_SUITE_P(Connectors, TableMap, ::testing::Values(Engine::Sqlite, Engine::Postgres), paramName);

TEST_P(TableMap, EveryMappedColumnExistsWithItsTypeAndNullability) {
    for (const auto& map : store::describeTableMaps()) {
        std::map<std::string, SchemaTable> schema;
        for (const auto& column : map.columns) {
            SCOPED_TRACE(column.table + "." + column.name);
            if (!schema.count(column.table)) schema[column.table] = columns(column.table);
            const auto& table = schema[column.table];
            ASSERT_FALSE(table.empty()) << "no table " << column.table;
            const auto found = table.find(column.name);
            ASSERT_NE(found, table.end()) << "mapped, but not in the schema";
            EXPECT_TRUE(typesFor(column.value).count(found->second.type)) << "stored as " << found->second.type;
            EXPECT_EQ(column.nullable, found->second.nullable)
                << (found->second.nullable
                        ? "may hold NULL but is read into a plain type (NULL would read as \"\" or 0)"
                        : "NOT NULL but read as NULL-able");
        }
    }
}

TEST_P(TableMap, EveryColumnOfAMappedTableIsMappedOrListedAsUnmapped) {
    for (const auto& map : store::describeTableMaps()) {
        SCOPED_TRACE(map.table);
        std::multiset<std::string> accounted(map.unmapped.begin(), map.unmapped.end());
        for (const auto& column : map.columns)
            if (column.table == map.table) accounted.insert(column.name);
        for (const auto& name : accounted) EXPECT_EQ(accounted.count(name), 1u) << name << " named twice";
        for (const auto& [name, column] : columns(map.table))
            EXPECT_TRUE(accounted.count(name))
                << map.table << "." << name << " is neither mapped nor listed as unmapped";
        for (const auto& name : map.unmapped)
            EXPECT_TRUE(columns(map.table).count(name)) << "listed as unmapped, but not in the schema: " << name;
    }
}

TEST_P(TableMap, EveryTableIsMappedOrListedAsHavingNoMap) {
    std::set<std::string> accounted(store::kTablesWithoutMap.begin(), store::kTablesWithoutMap.end());
    for (const auto& map : store::describeTableMaps()) accounted.insert(map.table);
    const auto present = tables();
    for (const auto& table : present) EXPECT_TRUE(accounted.count(table)) << table << " has no map and is not listed";
    for (const auto& table : accounted) EXPECT_TRUE(present.count(table)) << table << " is not in the schema";
}

// The generated statements name each column once, in the map's order.
TEST(TableMapSql, StatementsAreGeneratedFromTheMap) {
    EXPECT_EQ(store::selectList(store::kFrontendRows),
              "id, key, secret, account_ref, settings, active, deactivated_by, created_at_us, updated_at_us, version");
    EXPECT_EQ(store::insertSql(store::kFrontendRows, "CAST(? AS jsonb)"),
              "INSERT INTO frontends (id, key, secret, account_ref, settings, active, deactivated_by, created_at_us, "
              "updated_at_us, version) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?)");
    EXPECT_EQ(store::updateSetList(store::kFrontendRows, "?"),
              "key = ?, secret = ?, account_ref = ?, settings = ?, active = ?, deactivated_by = ?, updated_at_us = ?");
    EXPECT_EQ(store::selectList(store::kPollLeaseRows),
              "backend_polls.backend_id, backends.node_state, backend_polls.failures, backend_polls.successes");
}

TEST(TableMapSql, RecordingStatementsAreGeneratedFromTheMap) {
    EXPECT_EQ(store::selectList(store::kRecordingRows),
              "record_id, frontend_id, meeting_id, internal_meeting_id, name, state, published, is_breakout, "
              "start_time, end_time, participants, formats, created_at_us, updated_at_us, version");
    // updateRecording writes name, state and published (and the metadata, a table of its own).
    EXPECT_EQ(store::updateSetList(store::kRecordingRows, "?"),
              "name = ?, state = ?, published = ?, updated_at_us = ?");
    // An upsert that finds the row keeps its owner, key, creation and version (bumped by hand).
    EXPECT_EQ(
        store::conflictUpdateList(store::kRecordingRows, {"record_id", "frontend_id", "created_at_us", "version"}),
        "meeting_id = excluded.meeting_id, internal_meeting_id = excluded.internal_meeting_id, "
        "name = excluded.name, state = excluded.state, published = excluded.published, "
        "is_breakout = excluded.is_breakout, start_time = excluded.start_time, end_time = excluded.end_time, "
        "participants = excluded.participants, formats = excluded.formats, "
        "updated_at_us = excluded.updated_at_us");
    EXPECT_EQ(store::insertSql(store::kRecordingMetadataRows, "?"),
              "INSERT INTO recording_metadata (record_id, name, value) VALUES (?, ?, ?)");
}

}  // namespace
}  // namespace b3s::test
