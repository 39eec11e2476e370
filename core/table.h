// Rows of text for people and for scripts: on a terminal, columns padded
// to line up under a header; piped, one line per row with the fields
// separated by tabs and no header, so that `cut -f2` and `awk -F'\t'` read
// them and a longer name never shifts a column. Every listing command
// (mp list, attempts, grades, workers) prints through this.
#pragma once

#include <string>
#include <vector>

namespace wb::core {

class Table {
  public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }
    // aligned: for a terminal; otherwise tab-separated without the header.
    std::string render(bool aligned) const;

  private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

} // namespace wb::core
