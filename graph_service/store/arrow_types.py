"""Arrow types for the catalogue's property types: the bulk path's column types."""

from __future__ import annotations

import pyarrow as pa

from graph_service.domain.schema import PropType

ARROW_TYPES: dict[PropType, pa.DataType] = {
    PropType.STRING: pa.string(),
    PropType.INT: pa.int64(),
    PropType.FLOAT: pa.float64(),
    PropType.BOOL: pa.bool_(),
    PropType.DATE: pa.date32(),
    PropType.TIMESTAMP: pa.timestamp("us"),
    PropType.STRING_LIST: pa.list_(pa.string()),
}
