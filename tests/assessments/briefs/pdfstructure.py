"""Reading a brief's structure back with pikepdf: what the PDF/UA tests share."""

from __future__ import annotations

import io

import pikepdf


def structure(pdf: pikepdf.Pdf) -> tuple[set, dict]:
    """(page, MCID) pairs reachable from the StructTreeRoot, and MCID -> element per page."""
    reachable = set()

    def walk(node, page):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/Type") == "/OBJR":
                return
            page = node.get("/Pg").objgen if node.get("/Pg") is not None else page
            if node.get("/Type") == "/MCR":
                reachable.add((page, int(node.MCID)))
            elif node.get("/K") is not None:
                walk(node.K, page)
        else:
            reachable.add((page, int(node)))

    walk(pdf.Root.StructTreeRoot.K, None)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    return reachable, parents


def marked(page) -> list[tuple]:
    """Each operator of the page's content stream with the marked content it is in."""
    stack, out = [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = int(operands[1].get("/MCID", -1))
            stack.append((str(operands[0]), mcid))
        elif op == "EMC":
            stack.pop()
        out.append((op, operands, list(stack)))
    return out


def pages_ending_in_a_heading(pdf_bytes: bytes) -> list[int]:
    """Numbers of the pages (but the last) whose last tagged content is in a heading or
    a caption: a heading that ends a page without what follows it."""
    found = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _, parents = structure(pdf)
        for index, page in enumerate(pdf.pages[:-1]):
            mcids = [s[-1][1] for op, _o, s in marked(page) if op == "BDC" and s]
            mcids = [m for m in mcids if m is not None and m >= 0]
            element = parents[index][mcids[-1]]
            kinds = []
            while element is not None and "/S" in element:
                kinds.append(str(element.S))
                element = element.get("/P")
            if {"/H1", "/H2", "/H3", "/Caption"} & set(kinds):
                found.append(index + 1)
    return found
