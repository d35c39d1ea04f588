#include "runtime/fourdiac/fbt_importer.h"

#include <cstring>

#include "runtime/fourdiac/fb_network_importer.h"
#include "runtime/fourdiac/interface_list.h"
#include "runtime/fourdiac/standard_body.h"
#include "runtime/fourdiac/type_context.h"
#include "runtime/fourdiac/var_declaration.h"
#include "runtime/language/parser.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {
namespace {

class FbtImporter {
 public:
  FbtImporter(const LibraryElement& x, TypeContext& ctx) : x_(x), ctx_(ctx) {}

  std::optional<ImportedFbType> run(bool interface_only) {
    pugi::xml_node root = x_.root();
    const bool subapp = std::strcmp(root.name(), "SubAppType") == 0;
    if (!subapp && std::strcmp(root.name(), "FBType") != 0) {
      x_.error(root, std::string("expected an FBType or a SubAppType, found ") + root.name());
      return std::nullopt;
    }
    auto name = x_.required(root, "Name");
    if (!name) return std::nullopt;
    if (!is_identifier(*name)) {
      x_.error(root, "'" + *name + "' is not a valid type name");
      return std::nullopt;
    }
    out_.ast.name = {*name, x_.attribute_loc(root, "Name")};
    out_.ast.comment = root.attribute("Comment").value();
    const char* list_name = subapp ? "SubAppInterfaceList" : "InterfaceList";
    pugi::xml_node list = root.child(list_name);
    if (!list) {
      x_.error(root, std::string("missing ") + list_name);
      return std::nullopt;
    }
    ok_ &= import_interface_list(x_, list, ctx_, out_.ast, &out_.adapters);
    if (interface_only) {
      out_.ast.kind = lang::FbTypeKind::kServiceInterface;
      warn_unused_body(root);
    } else if (subapp) {
      out_.ast.kind = lang::FbTypeKind::kComposite;
      ImportedNetwork n;
      ok_ &= import_network(x_, root.child("SubAppNetwork"), ctx_, &out_.adapters, n);
      out_.ast.network = std::move(n.net);
    } else if (pugi::xml_node basic = root.child("BasicFB")) {
      out_.ast.kind = lang::FbTypeKind::kBasic;
      internals(basic);
      ecc(basic.child("ECC"));
      algorithms(basic);
    } else if (pugi::xml_node simple = root.child("SimpleFB")) {
      out_.ast.kind = lang::FbTypeKind::kSimple;
      internals(simple);
      algorithms(simple);
    } else if (pugi::xml_node network = root.child("FBNetwork")) {
      out_.ast.kind = lang::FbTypeKind::kComposite;
      ImportedNetwork n;
      ok_ &= import_network(x_, network, ctx_, &out_.adapters, n);
      out_.ast.network = std::move(n.net);
    } else {
      out_.ast.kind = lang::FbTypeKind::kServiceInterface;
    }
    if (!ok_) return std::nullopt;
    return std::move(out_);
  }

 private:
  void error(pugi::xml_node n, const std::string& m) {
    ok_ = false;
    x_.error(n, m);
  }

  // A native type's file is read for its interface; a body other than the
  // one 4diac ships is worth saying so (standard_body.h).
  void warn_unused_body(pugi::xml_node root) {
    pugi::xml_node body = fb_type_body(root);
    if (!body || is_standard_body(out_.ast.name.text, body)) return;
    const std::string what = std::strcmp(body.name(), "BasicFB") == 0    ? "ECC and algorithms are"
                             : std::strcmp(body.name(), "SimpleFB") == 0 ? "algorithms are"
                                                                         : "network is";
    x_.warning(body, out_.ast.name.text + " is a native type of plc; the file's " + what + " not used");
  }

  void internals(pugi::xml_node body) {
    for (const char* section : {"InternalVars", "InternalConstVars"})
      for (pugi::xml_node v : body.child(section).children("VarDeclaration")) {
        if (auto d = import_var(x_, v, ctx_)) {
          d->constant = std::strcmp(section, "InternalConstVars") == 0;  // IEC 61131-3 VAR CONSTANT
          out_.ast.internals.push_back(std::move(*d));
        } else {
          ok_ = false;
        }
      }
    if (body.child("InternalFbs").child("FB"))
      error(body.child("InternalFbs"), "internal FB instances are not supported");
  }

  // ---- adapters in ST and ECC: adp.X -> adp$X
  bool is_adapter(std::string_view name) const {
    for (const auto& a : out_.adapters)
      if (same_identifier(a.name, name)) return true;
    return false;
  }

  // Down the first operands in a loop (a chain a + b + ... is as long as
  // the source), then each node bottom-up after its other operands.
  void rewrite(lang::Expr& top) {
    std::vector<lang::Expr*> spine;
    for (lang::Expr* e = &top; e; e = e->args.empty() ? nullptr : e->args[0].get()) spine.push_back(e);
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
      lang::Expr& e = **it;
      for (size_t k = 1; k < e.args.size(); ++k)
        if (e.args[k]) rewrite(*e.args[k]);
      if (e.kind == lang::ExprKind::kMember && e.args.size() == 1 && e.args[0] &&
          e.args[0]->kind == lang::ExprKind::kName && is_adapter(e.args[0]->text)) {
        e.kind = lang::ExprKind::kName;
        e.text = adapter_port(e.args[0]->text, e.text);
        e.loc = e.args[0]->loc;
        e.args.clear();
      }
    }
  }

  void rewrite(lang::Block& b) {
    for (auto& s : b) {
      if (!s) continue;
      for (lang::ExprPtr* e : {&s->target, &s->value, &s->limit, &s->step})
        if (*e) rewrite(**e);
      for (auto& c : s->conds)
        if (c) rewrite(*c);
      for (auto& labels : s->labels)
        for (auto& l : labels) {
          if (l.lo) rewrite(*l.lo);
          if (l.hi) rewrite(*l.hi);
        }
      for (auto& body : s->bodies) rewrite(body);
    }
  }

  // "adp.CNF" -> "adp$CNF"; a plain name as it is.
  std::string port_name(const std::string& ref, pugi::xml_node at) {
    auto dot = ref.find('.');
    if (dot == std::string::npos) return ref;
    const std::string adapter = ref.substr(0, dot);
    if (!is_adapter(adapter)) {
      error(at, "'" + adapter + "' in '" + ref + "' is no plug or socket of " + out_.ast.name.text);
      return ref;
    }
    return adapter_port(adapter, ref.substr(dot + 1));
  }

  // ---- ECC
  void ecc(pugi::xml_node ecc) {
    if (!ecc) {
      error(x_.root().child("BasicFB"), "a BasicFB needs an ECC");
      return;
    }
    for (pugi::xml_node s : ecc.children("ECState")) {
      auto name = x_.required(s, "Name");
      if (!name) {
        ok_ = false;
        continue;
      }
      lang::EccStateAst st;
      st.name = {*name, x_.attribute_loc(s, "Name")};
      for (pugi::xml_node a : s.children("ECAction")) {
        lang::EccActionAst act;
        act.loc = x_.loc(a);
        if (const char* alg = a.attribute("Algorithm").value(); *alg)
          act.algorithm = {alg, x_.attribute_loc(a, "Algorithm")};
        if (const char* eo = a.attribute("Output").value(); *eo)
          act.output = {port_name(eo, a), x_.attribute_loc(a, "Output")};
        st.actions.push_back(std::move(act));
      }
      out_.ast.states.push_back(std::move(st));
    }
    if (out_.ast.states.empty()) error(ecc, "the ECC has no ECState");
    for (pugi::xml_node t : ecc.children("ECTransition")) transition(t);
  }

  void transition(pugi::xml_node t) {
    auto from = x_.required(t, "Source");
    auto to = x_.required(t, "Destination");
    auto cond = x_.required(t, "Condition");
    if (!from || !to || !cond) {
      ok_ = false;
      return;
    }
    lang::EccTransitionAst tr;
    tr.loc = x_.loc(t);
    tr.from = {*from, x_.attribute_loc(t, "Source")};
    tr.to = {*to, x_.attribute_loc(t, "Destination")};
    const size_t before = x_.diags().error_count();
    if (!lang::parse_transition_condition(x_.file(), *cond, x_.attribute_loc(t, "Condition"), tr, x_.diags()) ||
        x_.diags().error_count() != before) {
      ok_ = false;
      return;
    }
    if (!tr.event.text.empty()) tr.event.text = port_name(tr.event.text, t);
    if (tr.condition) rewrite(*tr.condition);
    out_.ast.transitions.push_back(std::move(tr));
  }

  // ---- algorithms
  void algorithms(pugi::xml_node body) {
    for (pugi::xml_node a : body.children("Algorithm")) {
      auto name = x_.required(a, "Name");
      if (!name) {
        ok_ = false;
        continue;
      }
      pugi::xml_node st = a.child("ST");
      if (!st) {
        pugi::xml_node other = a.first_child();
        while (other && other.type() != pugi::node_element) other = other.next_sibling();
        error(a, std::string("algorithm '") + *name + "': only ST algorithms are supported" +
                     (other ? std::string(", not ") + other.name() + " " + other.attribute("Language").value() : ""));
        continue;
      }
      const bool in_attribute = bool(st.attribute("Text"));
      const std::string text = in_attribute ? st.attribute("Text").value() : st.child_value();
      const lang::Loc origin = in_attribute ? x_.attribute_loc(st, "Text") : x_.text_loc(st);
      const size_t before = x_.diags().error_count();
      lang::AlgorithmAst alg = lang::parse_algorithm_text(x_.file(), text, origin, x_.diags());
      if (x_.diags().error_count() != before) {
        ok_ = false;
        continue;
      }
      if (!alg.name.text.empty() && !same_identifier(alg.name.text, *name))
        x_.warning(a, "the ST text is ALGORITHM " + alg.name.text + " but the algorithm is named " + *name);
      alg.name = {*name, x_.attribute_loc(a, "Name")};
      rewrite(alg.body);
      out_.ast.algorithms.push_back(std::move(alg));
    }
    if (body.child("Method")) error(body.child("Method"), "methods are not supported");
  }

  const LibraryElement& x_;
  TypeContext& ctx_;
  ImportedFbType out_;
  bool ok_ = true;
};

}  // namespace

std::optional<ImportedFbType> import_fb_type(const LibraryElement& x, TypeContext& ctx, bool interface_only) {
  return FbtImporter(x, ctx).run(interface_only);
}

}  // namespace plc::fourdiac
