#pragma once
// Aligned plain-text tables for human output: column widths are computed from the content
// (in UTF-8 code points), columns are separated by two spaces, trailing spaces are dropped.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace b3s::ctl {

class TextTable {
public:
    enum class Align { Left, Right };
    struct Column {
        std::string header;
        Align align = Align::Left;
    };

    explicit TextTable(std::vector<Column> columns);
    /// Adds a row; missing cells are empty, extra cells are ignored.
    void addRow(std::vector<std::string> cells);
    std::size_t rowCount() const noexcept { return rows_.size(); }
    /// Writes the header and every row, each line ending in '\n'.
    void write(std::ostream& out) const;

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

/// "Label:  value" lines with the values aligned, for the details of one resource. A value
/// with several lines is indented to the value column.
void writeDetails(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& rows);

/// Display width of UTF-8 text, counted in code points (good enough for tables of hosts,
/// keys and names).
std::size_t displayWidth(const std::string& text);

/// `text` cut to `max` code points, with "…" as the last one when it was longer; newlines
/// become spaces.
std::string shorten(const std::string& text, std::size_t max);

}  // namespace b3s::ctl
