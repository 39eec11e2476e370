// Table rendering (see table.h).
#include "core/table.h"

#include <algorithm>

namespace wb::core {

std::string Table::render(bool aligned) const {
    std::string out;
    if (!aligned) {
        for (const auto& row : rows_) {
            for (std::size_t i = 0; i < row.size(); ++i)
                out += (i ? "\t" : "") + row[i];
            out += "\n";
        }
        return out;
    }
    std::vector<std::size_t> width(header_.size(), 0);
    for (std::size_t i = 0; i < header_.size(); ++i)
        width[i] = header_[i].size();
    for (const auto& row : rows_) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    }
    const auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size() && i < width.size())
                text += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out += text + "\n";
    };
    line(header_);
    for (const auto& row : rows_)
        line(row);
    return out;
}

} // namespace wb::core
