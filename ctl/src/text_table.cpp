#include "text_table.hpp"

#include <algorithm>

namespace b3s::ctl {

std::size_t displayWidth(const std::string& text) {
    std::size_t width = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
    return width;
}

std::string shorten(const std::string& text, std::size_t max) {
    std::string flat = text;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    std::replace(flat.begin(), flat.end(), '\r', ' ');
    std::replace(flat.begin(), flat.end(), '\t', ' ');
    if (displayWidth(flat) <= max || max == 0) return flat;
    std::string out;
    std::size_t points = 0;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const bool starts_point = (static_cast<unsigned char>(flat[i]) & 0xC0) != 0x80;
        if (starts_point && ++points == max) break;
        out += flat[i];
    }
    return out + "…";
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::addRow(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    rows_.push_back(std::move(cells));
}

void TextTable::write(std::ostream& out) const {
    std::vector<std::size_t> widths;
    for (const auto& column : columns_) widths.push_back(displayWidth(column.header));
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], displayWidth(row[i]));
    auto writeLine = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::size_t pad = widths[i] - displayWidth(cells[i]);
            if (i > 0) line += "  ";
            if (columns_[i].align == Align::Right) line.append(pad, ' ');
            line += cells[i];
            if (columns_[i].align == Align::Left) line.append(pad, ' ');
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    };
    std::vector<std::string> headers;
    for (const auto& column : columns_) headers.push_back(column.header);
    writeLine(headers);
    for (const auto& row : rows_) writeLine(row);
}

void writeDetails(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& rows) {
    std::size_t width = 0;
    for (const auto& row : rows) width = std::max(width, displayWidth(row.first) + 1);
    for (const auto& [label, value] : rows) {
        std::string text = value;
        if (!text.empty() && text.back() == '\n') text.pop_back();
        const std::string indent(width + 2, ' ');
        std::string line = label + ":";
        line.append(width + 2 - displayWidth(line), ' ');
        for (std::size_t start = 0;;) {
            const auto end = text.find('\n', start);
            line += text.substr(start, end == std::string::npos ? std::string::npos : end - start);
            line.erase(line.find_last_not_of(' ') + 1);
            out << line << '\n';
            if (end == std::string::npos) break;
            start = end + 1;
            line = indent;
        }
    }
}

}  // namespace b3s::ctl
