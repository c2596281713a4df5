"""The cross-reference graph: documents as nodes, asserted relations as edges.

Nodes are documents whether or not their text is stored (many are known only
from citations); two documents sharing a number are two nodes. Edges carry
their provenance: the stored text asserting them, its page and the sentence.
Queries read the store on demand::

    from docsearch import Store
    from docsearch.graph import implements, render_implements
    with Store.open("indexes") as store:
        result = implements(store, "Resolution 57", depth=2)
    print(render_implements(result))
"""

from .export import EXPORT_FORMATS, write_graph
from .model import (
    IMPLEMENTING,
    RELATION_PRECEDENCE,
    AmbiguousDocument,
    BadQuery,
    CitesResult,
    Coverage,
    CoverageMatrix,
    CoverageRow,
    Edge,
    Fact,
    FactSource,
    Graph,
    GraphError,
    Implementer,
    ImplementsResult,
    Link,
    MatrixCell,
    Mention,
    Node,
    Profile,
    UnknownDocument,
)
from .query import (
    build_graph,
    cites,
    committees,
    coverage,
    coverage_matrix,
    describe,
    describe_text,
    implements,
    iter_edges,
    iter_nodes,
)
from .render import (
    render_cites,
    render_coverage,
    render_implements,
    render_matrix,
    render_profile,
)
from .resolve import Resolver

__all__ = [
    "EXPORT_FORMATS",
    "IMPLEMENTING",
    "RELATION_PRECEDENCE",
    "AmbiguousDocument",
    "BadQuery",
    "CitesResult",
    "Coverage",
    "CoverageMatrix",
    "CoverageRow",
    "Edge",
    "Fact",
    "FactSource",
    "Graph",
    "GraphError",
    "Implementer",
    "ImplementsResult",
    "Link",
    "MatrixCell",
    "Mention",
    "Node",
    "Profile",
    "Resolver",
    "UnknownDocument",
    "build_graph",
    "cites",
    "committees",
    "coverage",
    "coverage_matrix",
    "describe",
    "describe_text",
    "implements",
    "iter_edges",
    "iter_nodes",
    "render_cites",
    "render_coverage",
    "render_implements",
    "render_matrix",
    "render_profile",
    "write_graph",
]
