"""Paths of files a commit writes, checked and nested as the trees that will hold them."""


def nest_paths(files):
    """Turn {"a/b.txt": data} into {"a": {"b.txt": data}} for tree building."""
    tree: dict = {}
    for path, content in files.items():
        parts = [part for part in path.split("/") if part]
        if (
            not parts
            or "\x00" in path
            or any(part in (".", "..") or part.lower() == ".git" for part in parts)
        ):
            raise ValueError(f"invalid path: {path!r}")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"{path!r}: a file is in the way")
        if isinstance(node.get(parts[-1]), dict):
            raise ValueError(f"{path!r}: a directory is in the way")
        node[parts[-1]] = content
    return tree
