"""The PDF's structure tree (PDF/UA-1), built by briefs instead of WeasyPrint's tagger.

WeasyPrint 70 tags each page on its own and maps HTML to PDF roles one box at a time. An
independent PDF/UA-1 check fails its output (issue 16): ``dl`` items and ``div``-wrapped items
come out as ``L > Div > LI``; running heads and page numbers are marked content that belongs
to no structure element instead of Artifacts; footnotes are plain spans at the foot of the
page, away from their marks; ``lang`` on inner elements, ``scope`` on table headers, the Print
flag and a description on link annotations are not written; a section, list or table that
crosses a page becomes one element per page.

This module builds the tree instead, from the same laid-out boxes and the same marked content
(WeasyPrint assigns one MCID per text box and image while it paints). It is installed in
place of ``weasyprint.pdf.add_tags`` (see :func:`install`), which ``write_pdf`` calls once
the pages are painted and before any stream is serialised, so marked content can still be
turned into Artifacts and renumbered. WeasyPrint is pinned to 70.x; :func:`install` fails
loudly if that hook is gone.

The tree follows the HTML: one structure element per HTML element that means something to a
reader, wherever its boxes fall; inline elements without meaning (``strong``, ``time``…) add
no element, their text goes to the nearest one that does.
"""

from __future__ import annotations

from typing import Any

from briefs.pdf.structure import (
    BLOCK_ROLES,
    GROUPING,
    INLINE_ROLES,
    PT_PER_PX,
    SCOPES,
    SVG,
    TRANSPARENT,
    Content,
    Node,
    ObjRef,
    ancestor_role,
    descendants,
    effective_lang,
    is_footnote,
    lang_of,
    link_text,
    plain,
    prune,
)


def install() -> None:
    """Make WeasyPrint's PDF writer call :func:`add_tags` instead of its own tagger."""
    import weasyprint.pdf
    import weasyprint.pdf.tags

    current = getattr(weasyprint.pdf, "add_tags", None)
    if current is add_tags:
        return
    if current is not weasyprint.pdf.tags.add_tags:
        raise RuntimeError(
            "weasyprint.pdf.add_tags is not WeasyPrint 70's tagger: "
            "briefs' PDF/UA structure tree cannot be installed"
        )
    weasyprint.pdf.add_tags = add_tags


class Tagger:
    """Builds the structure tree of one PDF from WeasyPrint's laid-out pages."""

    def __init__(self, pdf: Any, document: Any, page_streams: list[Any]) -> None:
        self.pdf = pdf
        self.document = document
        self.page_streams = page_streams
        root_element = document.pages[0]._page_box.children[0].element
        self.lang = lang_of(document.pages[0]._page_box.children[0])
        self.root = Node("Document", None, self.lang, element=root_element)
        # ElementTree elements know neither their parent nor their siblings.
        self.parent_of: dict[Any, Any] = {}
        self.previous_of: dict[Any, Any] = {}
        self.by_id: dict[str, Any] = {}
        for parent in root_element.iter():
            previous = None
            for child in parent:
                if isinstance(child.tag, str):
                    self.parent_of[child] = parent
                    self.previous_of[child] = previous
                    previous = child
                    if child.get("id"):
                        self.by_id.setdefault(child.get("id"), child)
        self.nodes: dict[tuple[Any, str], Node | None] = {}
        self.artifacts: dict[tuple[int, int], str | None] = {}
        """(page, MCID) → Artifact subtype (``Header``/``Footer`` for pagination, else None)."""
        self.annotations: list[tuple[Any, Node]] = []
        self.seen_pages: dict[int, int] = {}
        """id(element) of a repeated table header/footer → the page it was tagged on."""
        self.note_anchor: dict[Any, list[Any]] = {}
        """An element → the footnotes that follow it in the HTML (it is their mark)."""
        self.marks: set[Any] = set()
        """Elements right before a footnote: its mark (a ``Reference``)."""
        self.note_ids: set[str] = set()
        self.th_count = 0

    # -- walking the boxes --------------------------------------------------------------

    def run(self) -> None:
        from weasyprint.formatting_structure import boxes

        for page in self.document.pages:
            for area in page._page_box.children:
                if isinstance(area, boxes.FootnoteAreaBox):
                    for footnote in area.children:
                        if footnote.element is not None:
                            anchor = self._mark_of(footnote.element)
                            if anchor is not None:
                                self.marks.add(anchor)
                            key = (
                                anchor
                                if anchor is not None
                                else self.parent_of.get(footnote.element)
                            )
                            notes = self.note_anchor.setdefault(key, [])
                            if footnote.element not in notes:
                                notes.append(footnote.element)
        for number, (page, stream) in enumerate(
            zip(self.document.pages, self.page_streams, strict=True)
        ):
            self.number = number
            self.tags = stream._tags
            self.walk(page._page_box, self.root, None)

    def _mark_of(self, footnote: Any) -> Any:
        """The element a footnote reads after: the superscript holding its mark (the link
        whose id the footnote's ``fn-<id>`` names), wherever the footnote floats from (a
        key figure's note floats from the source line under the tiles); else the element
        before it, past the other footnotes of the same mark."""
        link = self.by_id.get(str(footnote.get("id") or "").removeprefix("fn-"))
        if link is not None and link is not footnote:
            sup = self.parent_of.get(link)
            return sup if sup is not None and sup.tag == "sup" else link
        anchor = self.previous_of.get(footnote)
        while anchor is not None and is_footnote(anchor):
            anchor = self.previous_of.get(anchor)
        return anchor

    def walk(self, box: Any, parent: Node, outer: Any) -> None:
        """Tag ``box`` and its descendants under ``parent``; ``outer`` is the HTML element
        of the box around it (anonymous and text boxes share their element's)."""
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder

        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if isinstance(box, boxes.MarginBox):  # running heads, page numbers
            self._mark_artifacts(
                box, "Footer" if box.at_keyword.startswith("@bottom") else "Header"
            )
            return
        node = parent
        element = box.element
        if element is not None and not isinstance(box, boxes.PageBox):
            found = self._node_for(box, parent)
            if found is None:  # a repeated table header or footer: furniture
                self._mark_artifacts(box, "Pagination")
                return
            node = found
        if box.link_annotation is not None:
            node.content_holder(None).kids.append(ObjRef(self.number, box.link_annotation))
            self.annotations.append((box.link_annotation, node))
        if isinstance(box, boxes.TextBox):
            self._content(box, node, blank=not box.text.strip())
        elif isinstance(box, boxes.ReplacedBox):
            if node.role == "Figure":
                self._content(box, node, blank=False)
            else:  # alt="": decorative
                self._artifact(box, None)
        for child in getattr(box, "children", ()):
            self.walk(child, node, element)
        if element is not None and element is not outer and element in self.note_anchor:
            # The footnotes this element is the mark of come right after it, as in the HTML.
            for footnote in self.note_anchor.pop(element):
                self._note(footnote, parent if element in self.marks else node)

    def _node_for(self, box: Any, parent: Node) -> Node | None:
        """The structure element of ``box``'s element (made on first sight), or ``parent``
        where the element adds none."""
        element = box.element
        tag = box.element_tag
        key = (element, tag)
        if key in self.nodes:
            node = self.nodes[key]
            if node is None:
                return parent
            if tag in ("thead", "tfoot") and self.seen_pages.get(id(element)) != self.number:
                return None
            return node
        role = self._role(box, parent)
        if role is None:
            self.nodes[key] = None
            return parent
        if role == "Note":  # its mark was not found: where its HTML parent is, at the end
            html_parent = self.parent_of.get(element)
            owner = self.nodes.get((html_parent, getattr(html_parent, "tag", "")))
            return self._note(element, owner or parent)
        lang = lang_of(box)
        if tag in ("dt", "dd") and parent.role == "L":
            parent = self._dl_item(element, parent)
        node = parent.content_holder(role).add(Node(role, parent, lang, element=element))
        self.nodes[key] = node
        if tag in ("thead", "tfoot"):
            self.seen_pages[id(element)] = self.number
        if role == "Figure":
            self._figure(box, node)
        elif role in ("TH", "TD"):
            self._cell(box, node)
        return node

    def _role(self, box: Any, parent: Node) -> str | None:
        from weasyprint.formatting_structure import boxes

        tag: str = box.element_tag
        element = box.element
        if "::" in tag:
            pseudo = tag.split("::", 1)[1]
            return "Lbl" if pseudo in ("marker", "footnote-marker") else None
        if tag in TRANSPARENT:
            return None
        if box.style["float"] == "footnote":
            return "Note"
        if tag == "img" or tag == SVG:
            return "Figure" if element.get("alt") != "" or tag == SVG else None
        if tag == "a" and element.get("href") is not None:
            return "Link"
        inline = isinstance(box, boxes.InlineBox | boxes.TextBox)
        if inline and element in self.marks:
            return "Reference"
        in_toc = self._in_toc(element)
        if tag in ("ul", "ol"):
            return "TOC" if in_toc else "L"
        if tag == "dl":
            return "L"
        if tag == "li":
            return "TOCI" if in_toc and parent.role == "TOC" else "LI"
        if tag == "div" and parent.role == "L":
            return "LI"
        if tag == "dt" and parent.role in ("LI", "L"):
            return "Lbl"
        if tag == "dd" and parent.role in ("LI", "L"):
            return "LBody"
        if tag in BLOCK_ROLES:
            return BLOCK_ROLES[tag]
        if inline:
            if tag in INLINE_ROLES:
                return INLINE_ROLES[tag]
            return "Span" if lang_of(box) != effective_lang(parent) else None
        return "Div"

    def _in_toc(self, element: Any) -> bool:
        """Whether ``element`` is inside a ``nav`` with ``role="doc-toc"``."""
        current = element
        while current is not None:
            if current.tag == "nav":
                return bool(current.get("role") == "doc-toc")
            current = self.parent_of.get(current)
        return False

    def _dl_item(self, element: Any, parent: Node) -> Node:
        """The ``LI`` grouping a ``dt`` with the ``dd``\\ s after it (a ``dl`` without
        ``div`` wrappers)."""
        term = element
        while term is not None and term.tag != "dt":
            term = self.previous_of.get(term)
        key = (term if term is not None else element, "dl-item")
        item = self.nodes.get(key)
        if item is None:
            item = parent.add(Node("LI", parent, parent.lang))
            self.nodes[key] = item
        return item

    def _note(self, footnote: Any, parent: Node) -> Node:
        key = (footnote, footnote.tag)
        existing = self.nodes.get(key)
        if existing is not None:
            return existing
        holder = parent.content_holder("Note")
        note = holder.add(Node("Note", holder, parent.lang, element=footnote))
        note_id = footnote.get("id") or f"note-{len(self.note_ids) + 1}"
        while note_id in self.note_ids:
            note_id += "-"
        self.note_ids.add(note_id)
        note.attrs["ID"] = note_id
        self.nodes[key] = note
        return note

    def _figure(self, box: Any, node: Node) -> None:
        import pydyf

        element = box.element
        if box.element_tag == SVG:
            title = element.find("{http://www.w3.org/2000/svg}title")
            alt = title.text if title is not None and title.text else None
        else:
            alt = element.get("alt")
        if alt:
            node.attrs["Alt"] = pydyf.String(plain(alt))
        page = self.document.pages[self.number]
        x, y = box.content_box_x(), box.content_box_y()
        bbox = (
            x * PT_PER_PX,
            (page.height - y - box.height) * PT_PER_PX,
            (x + box.width) * PT_PER_PX,
            (page.height - y) * PT_PER_PX,
        )
        node.attrs["A"] = pydyf.Dictionary(
            {"O": "/Layout", "BBox": pydyf.Array(round(v, 2) for v in bbox)}
        )

    def _cell(self, box: Any, node: Node) -> None:
        import pydyf

        attributes = pydyf.Dictionary({"O": "/Table"})
        if box.colspan != 1:
            attributes["ColSpan"] = box.colspan
        if box.rowspan != 1:
            attributes["RowSpan"] = box.rowspan
        if node.role == "TH":
            scope = SCOPES.get((box.element.get("scope") or "").lower())
            if scope is None:
                in_head = node.parent is not None and ancestor_role(node, "THead")
                first = self.previous_of.get(box.element) is None
                scope = "/Column" if in_head or not first else "/Row"
            attributes["Scope"] = scope
            self.th_count += 1
            node.attrs["ID"] = pydyf.String(f"th-{self.th_count}")
        node.attrs["A"] = attributes

    # -- marked content ------------------------------------------------------------------

    def _content(self, box: Any, node: Node, *, blank: bool) -> None:
        entry = self.tags.get(box)
        if entry is None:
            return
        if node.role in GROUPING and blank:
            self._artifact(box, None)
            return
        holder = node.content_holder(None)
        if holder.page is None:
            holder.page = self.number
        holder.kids.append(Content(self.number, entry["mcid"]))

    def _artifact(self, box: Any, subtype: str | None) -> None:
        entry = self.tags.get(box)
        if entry is not None:
            self.artifacts[self.number, entry["mcid"]] = subtype

    def _mark_artifacts(self, box: Any, subtype: str) -> None:
        for inner in descendants(box):
            self._artifact(inner, subtype)

    # -- writing ---------------------------------------------------------------------------

    def write(self) -> None:
        """Turn the built tree into PDF objects, renumber marked content, fix annotations."""
        import pydyf

        pdf = self.pdf
        renumbered = self._rewrite_streams()
        page_refs = pdf.page_references
        parent_tree: list[list[Any]] = [["null"] * len(r) for r in renumbered]

        tree_root = pydyf.Dictionary({"Type": "/StructTreeRoot"})
        pdf.add_object(tree_root)
        prune(self.root)
        self._serialise(self.root, tree_root.reference, renumbered, parent_tree, page_refs)
        tree_root["K"] = pydyf.Array([self.root.ref])

        nums = pydyf.Array()
        for number, refs in enumerate(parent_tree):
            nums.extend([number, pydyf.Array(refs)])
        key = len(parent_tree)
        for annotation, node in self.annotations:
            annotation["StructParent"] = key
            annotation["F"] = 4  # Print
            annotation["Contents"] = pydyf.String(link_text(node) or "link")
            nums.extend([key, node.ref])
            key += 1
        parent_tree_dict = pydyf.Dictionary({"Nums": nums})
        pdf.add_object(parent_tree_dict)
        tree_root["ParentTree"] = parent_tree_dict.reference
        tree_root["ParentTreeNextKey"] = key
        pdf.catalog["StructTreeRoot"] = tree_root.reference
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        if "Lang" not in pdf.catalog:
            pdf.catalog["Lang"] = pydyf.String(self.lang or "")

    def _rewrite_streams(self) -> list[dict[int, int]]:
        """Artifacts' marked content becomes ``/Artifact``; the rest is renumbered from 0
        on each page. Returns, per page, old MCID → new MCID."""
        import pydyf

        by_tags: dict[int, int] = {id(s._tags): n for n, s in enumerate(self.page_streams)}
        found: list[dict[int, tuple[list[Any], int]]] = [{} for _ in self.page_streams]
        for obj in self.pdf.objects:
            tags = getattr(obj, "_tags", None)
            if tags is None or id(tags) not in by_tags:
                continue
            page = found[by_tags[id(tags)]]
            items = obj.stream
            for index, item in enumerate(items):
                if isinstance(item, pydyf.Dictionary) and "MCID" in item:
                    page[item["MCID"]] = (items, index)
        renumbered: list[dict[int, int]] = []
        for number, page in enumerate(found):
            mapping: dict[int, int] = {}
            for mcid in sorted(page):
                items, index = page[mcid]
                if (number, mcid) in self.artifacts:
                    subtype = self.artifacts[number, mcid]
                    items[index - 1] = "/Artifact"
                    if subtype in ("Header", "Footer"):
                        items[index] = pydyf.Dictionary(
                            {"Type": "/Pagination", "Subtype": f"/{subtype}"}
                        )
                    elif subtype == "Pagination":
                        items[index] = pydyf.Dictionary({"Type": "/Pagination"})
                    else:
                        items[index] = pydyf.Dictionary({"Type": "/Layout"})
                else:
                    mapping[mcid] = len(mapping)
                    items[index]["MCID"] = mapping[mcid]
            renumbered.append(mapping)
        return renumbered

    def _serialise(
        self,
        node: Node,
        parent_ref: Any,
        renumbered: list[dict[int, int]],
        parent_tree: list[list[Any]],
        page_refs: list[Any],
    ) -> None:
        import pydyf

        element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{node.role}", "P": parent_ref})
        self.pdf.add_object(element)
        node.ref = element.reference
        if node.page is not None:
            element["Pg"] = page_refs[node.page]
        parent_lang = effective_lang(node.parent) if node.parent is not None else self.lang
        if node.parent is not None and node.lang and node.lang != parent_lang:
            element["Lang"] = pydyf.String(node.lang)
        for name, value in node.attrs.items():
            element[name] = pydyf.String(value) if isinstance(value, str) else value
        kids = pydyf.Array()
        for kid in node.kids:
            if isinstance(kid, Node):
                self._serialise(kid, element.reference, renumbered, parent_tree, page_refs)
                kids.append(kid.ref)
            elif isinstance(kid, Content):
                mcid = renumbered[kid.page].get(kid.mcid)
                if mcid is None:
                    continue
                parent_tree[kid.page][mcid] = element.reference
                if kid.page == node.page:
                    kids.append(mcid)
                else:
                    kids.append(
                        pydyf.Dictionary({"Type": "/MCR", "Pg": page_refs[kid.page], "MCID": mcid})
                    )
            else:
                kids.append(
                    pydyf.Dictionary(
                        {
                            "Type": "/OBJR",
                            "Obj": kid.annotation.reference,
                            "Pg": page_refs[kid.page],
                        }
                    )
                )
        element["K"] = kids


def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: list[Any]) -> None:
    """WeasyPrint's tagging step, done by briefs: same signature as
    ``weasyprint.pdf.tags.add_tags``."""
    if str(pdf_version) >= "2.0":
        raise ValueError("briefs tags PDF 1.7 (PDF/UA-1) only")
    tagger = Tagger(pdf, document, page_streams)
    tagger.run()
    tagger.write()
