#include "engine/match/match.h"

namespace asyncfix {

TSNode Match::capture(std::string_view name) const {
  if (!m_) return name == node_capture_ ? node_ : TSNode{};
  const syntax::Query& q = *query_;
  for (uint16_t i = 0; i < m_->capture_count; ++i) {
    if (q.capture_name(m_->captures[i].index) == name) return m_->captures[i].node;
  }
  return TSNode{};
}

std::vector<std::pair<std::string_view, TSNode>> Match::all_captures() const {
  std::vector<std::pair<std::string_view, TSNode>> out;
  if (!m_) {
    out.emplace_back(node_capture_, node_);
    return out;
  }
  const syntax::Query& q = *query_;
  for (uint16_t i = 0; i < m_->capture_count; ++i) out.emplace_back(q.capture_name(m_->captures[i].index), m_->captures[i].node);
  return out;
}

std::vector<TSNode> Match::captures(std::string_view name) const {
  std::vector<TSNode> out;
  if (!m_) {
    if (name == node_capture_) out.push_back(node_);
    return out;
  }
  const syntax::Query& q = *query_;
  for (uint16_t i = 0; i < m_->capture_count; ++i) {
    if (q.capture_name(m_->captures[i].index) == name) out.push_back(m_->captures[i].node);
  }
  return out;
}

}  // namespace asyncfix
