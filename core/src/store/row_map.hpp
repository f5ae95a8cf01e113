#pragma once
// Rows mapped by name. A RowMap lists the columns of one table that fill one struct, each
// column once: its name, the member it fills, how the two convert (a codec) and which
// generated statements write it. The SELECT list, the INSERT and UPDATE column lists and
// their placeholders are generated from the map; sql_store.cpp reads one typed vector per
// column and binds one value per written column, walking the same map in the same order,
// so a column's name and its position can never disagree.
//
// A codec names the type Poco reads and binds (`Stored`; Poco::Nullable<T> for every
// column that may hold NULL, never a plain type that would turn NULL into "" or 0) and
// converts it to and from the member. No Poco::Data here: it compiles slowly and stays in
// sql_store.cpp; the maps themselves are in table_maps.hpp.

#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace b3s::core::store {

/// Which generated statements write a column.
enum class Written {
    Never,              ///< read only: set by the database or by hand-written statements
    ByInsert,           ///< the generated INSERT
    ByInsertAndUpdate,  ///< the generated INSERT and the generated whole-row UPDATE
};

/// What a column holds, as the schema check compares it with the migrated schema.
enum class ColumnValue { Text, Json, Int32, Int64, Double, Bool };

namespace codec {

/// The member as it is: text, integers, double, bool.
template <class T>
struct Direct {
    using Member = T;
    using Stored = T;
    static constexpr bool kJson = false;
    static void read(Stored&& in, Member& out) { out = std::move(in); }
    static const Stored& write(const Member& m) { return m; }
};

/// std::optional member in a NULL-able column.
template <class T>
struct Optional {
    using Member = std::optional<T>;
    using Stored = Poco::Nullable<T>;
    static constexpr bool kJson = false;
    static void read(Stored&& in, Member& out) {
        if (in.isNull())
            out.reset();
        else
            out = std::move(in.value());
    }
    static Stored write(const Member& m) { return m ? Stored(*m) : Stored(); }
};

/// A JSON document kept as its text (jsonb in PostgreSQL, which re-spaces it).
struct Json : Direct<std::string> {
    static constexpr bool kJson = true;
};

/// A JSON document or SQL NULL.
struct OptionalJson : Optional<std::string> {
    static constexpr bool kJson = true;
};

/// A JSON document in a NULL-able column whose member has no NULL: SQL NULL reads as the
/// JSON text `null`.
struct JsonOrJsonNull {
    using Member = std::string;
    using Stored = Poco::Nullable<std::string>;
    static constexpr bool kJson = true;
    static void read(Stored&& in, Member& out) { out = in.isNull() ? std::string("null") : std::move(in.value()); }
    static Stored write(const Member& m) { return Stored(m); }
};

/// The codec of a member type that needs no conversion (see col()).
template <class Member>
struct DefaultOf {
    static_assert(sizeof(Member) == 0, "no default codec for this member type: name one, col<Codec>(…)");
};
template <>
struct DefaultOf<std::string> {
    using type = Direct<std::string>;
};
template <>
struct DefaultOf<Poco::Int64> {
    using type = Direct<Poco::Int64>;
};
template <>
struct DefaultOf<int> {
    using type = Direct<int>;
};
template <>
struct DefaultOf<double> {
    using type = Direct<double>;
};
template <>
struct DefaultOf<bool> {
    using type = Direct<bool>;
};
template <>
struct DefaultOf<std::optional<std::string>> {
    using type = Optional<std::string>;
};
template <>
struct DefaultOf<std::optional<Poco::Int64>> {
    using type = Optional<Poco::Int64>;
};

}  // namespace codec

template <class Row, class Codec>
struct Column {
    using RowType = Row;
    using CodecType = Codec;
    std::string_view name;
    typename Codec::Member Row::*member;
    Written written;
    /// Empty: a column of the map's table. Else a table the reading query joins (never written).
    std::string_view table;
};

/// A column of the map's table; the codec defaults to the member type's (codec::DefaultOf).
template <class Codec = void, class Row, class Member>
constexpr auto col(std::string_view name, Member Row::*member, Written written) {
    if constexpr (std::is_void_v<Codec>)
        return Column<Row, typename codec::DefaultOf<Member>::type>{name, member, written, {}};
    else
        return Column<Row, Codec>{name, member, written, {}};
}

/// A column of another table the reading query joins; read only.
template <class Row, class Member>
constexpr auto joined(std::string_view table, std::string_view name, Member Row::*member) {
    return Column<Row, typename codec::DefaultOf<Member>::type>{name, member, Written::Never, table};
}

template <class Row, std::size_t Unmapped, class... Columns>
struct RowMap {
    using RowType = Row;
    std::string_view table;
    /// Columns of the table that deliberately fill no member (checked against the schema).
    std::array<std::string_view, Unmapped> unmapped;
    std::tuple<Columns...> columns;
};

template <class... Names>
constexpr auto unmapped(Names... names) {
    return std::array<std::string_view, sizeof...(Names)>{std::string_view(names)...};
}

template <std::size_t Unmapped, class First, class... Rest>
constexpr auto rowMap(std::string_view table, std::array<std::string_view, Unmapped> unmapped_columns, First first,
                      Rest... rest) {
    using Row = typename First::RowType;
    static_assert((std::is_same_v<Row, typename Rest::RowType> && ...), "every column must fill the same struct");
    return RowMap<Row, Unmapped, First, Rest...>{table, unmapped_columns, {first, rest...}};
}

/// Calls `f(column)` for every column of `map`, in order.
template <class Map, class F>
constexpr void forEachColumn(const Map& map, F&& f) {
    std::apply([&](const auto&... column) { (f(column), ...); }, map.columns);
}

namespace row_map_detail {

template <class T>
struct ValueOf;
template <>
struct ValueOf<std::string> {
    static constexpr ColumnValue value = ColumnValue::Text;
};
template <>
struct ValueOf<Poco::Int64> {
    static constexpr ColumnValue value = ColumnValue::Int64;
};
template <>
struct ValueOf<int> {
    static constexpr ColumnValue value = ColumnValue::Int32;
};
template <>
struct ValueOf<double> {
    static constexpr ColumnValue value = ColumnValue::Double;
};
template <>
struct ValueOf<bool> {
    static constexpr ColumnValue value = ColumnValue::Bool;
};
template <class T>
struct ValueOf<Poco::Nullable<T>> : ValueOf<T> {};

template <class T>
inline constexpr bool kIsNullable = false;
template <class T>
inline constexpr bool kIsNullable<Poco::Nullable<T>> = true;

}  // namespace row_map_detail

/// The two statements generated from a map.
enum class WriteStatement { Insert, Update };

/// Whether `statement` writes a column marked `written`.
constexpr bool writes(WriteStatement statement, Written written) {
    return written == Written::ByInsertAndUpdate ||
           (written == Written::ByInsert && statement == WriteStatement::Insert);
}

/// `a, b, c`: the SELECT list, in the order the row reader binds its vectors. Every name is
/// qualified with its table when the map joins another one.
template <class Map>
std::string selectList(const Map& map) {
    bool joins = false;
    forEachColumn(map, [&](const auto& c) { joins = joins || !c.table.empty(); });
    std::string out;
    forEachColumn(map, [&](const auto& c) {
        if (!out.empty()) out += ", ";
        if (joins) {
            out += c.table.empty() ? map.table : c.table;
            out += '.';
        }
        out += c.name;
    });
    return out;
}

/// `INSERT INTO t (a, b) VALUES (?, ?)` over the columns written by insert; a JSON column's
/// placeholder is `json_param` (SqlDialect::jsonParam()). Bound by bindRow(…, WriteStatement::Insert, …).
template <class Map>
std::string insertSql(const Map& map, std::string_view json_param) {
    std::string names;
    std::string values;
    forEachColumn(map, [&](const auto& c) {
        if (!writes(WriteStatement::Insert, c.written)) return;
        if (!names.empty()) {
            names += ", ";
            values += ", ";
        }
        names += c.name;
        values += std::decay_t<decltype(c)>::CodecType::kJson ? json_param : std::string_view("?");
    });
    std::string out = "INSERT INTO ";
    out += map.table;
    out += " (" + names + ") VALUES (" + values + ")";
    return out;
}

/// `a = ?, b = ?` over the columns written by update. Bound by bindRow(…, WriteStatement::Update, …).
template <class Map>
std::string updateSetList(const Map& map, std::string_view json_param) {
    std::string out;
    forEachColumn(map, [&](const auto& c) {
        if (!writes(WriteStatement::Update, c.written)) return;
        if (!out.empty()) out += ", ";
        out += c.name;
        out += " = ";
        out += std::decay_t<decltype(c)>::CodecType::kJson ? json_param : std::string_view("?");
    });
    return out;
}

/// `a = excluded.a, b = excluded.b` over the columns the INSERT writes, except `kept`: the
/// SET of an upsert's `ON CONFLICT (…) DO UPDATE`, which takes those values from the row it
/// was asked to insert.
template <class Map>
std::string conflictUpdateList(const Map& map, std::initializer_list<std::string_view> kept) {
    std::string out;
    forEachColumn(map, [&](const auto& c) {
        if (!writes(WriteStatement::Insert, c.written)) return;
        for (const auto name : kept)
            if (name == c.name) return;
        if (!out.empty()) out += ", ";
        out += c.name;
        out += " = excluded.";
        out += c.name;
    });
    return out;
}

/// A map as data, for the schema check.
struct MappedColumn {
    std::string name;
    std::string table;  ///< the table it is read from
    ColumnValue value;
    bool nullable;  ///< read through Poco::Nullable
};
struct MappedTable {
    std::string table;
    std::vector<MappedColumn> columns;
    std::vector<std::string> unmapped;
};

template <class Map>
MappedTable describe(const Map& map) {
    MappedTable out{std::string(map.table), {}, {}};
    forEachColumn(map, [&](const auto& c) {
        using Codec = typename std::decay_t<decltype(c)>::CodecType;
        using Stored = typename Codec::Stored;
        const auto value = Codec::kJson ? ColumnValue::Json : row_map_detail::ValueOf<Stored>::value;
        out.columns.push_back({std::string(c.name), std::string(c.table.empty() ? map.table : c.table), value,
                               row_map_detail::kIsNullable<Stored>});
    });
    for (const auto name : map.unmapped) out.unmapped.emplace_back(name);
    return out;
}

}  // namespace b3s::core::store
