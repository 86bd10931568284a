/* sgie.scoring._flatten: the compiled kernel of sgie.scoring.flatten (optional).

What it does
    flatten(docs, entity_type, codes) takes the entities of a batch of documents (a list or
    tuple of documents, each a tuple or list of records of exactly ``entity_type``, a frozen
    msgspec Struct with the fields id, start, end, text, label) and returns what
    ``sgie.scoring.flatten.flatten_python`` returns for them, in one C loop:

        (doc, start, end, code, joined_ids, joined_texts)

    doc, start, end and code are bytes holding native int64 values, one per entity in order:
    the index of its document, its offsets, and ``codes[label]``; joined_ids and joined_texts
    are every id (text) followed by a NUL, as one str. The fields are read from the records'
    slots (the offsets of their member descriptors), not through attribute lookups.

What it does not do
    No validation beyond the types it reads: an offset that does not fit in 64 bits raises
    OverflowError, a label missing from codes KeyError, anything else unexpected (another
    record type, a field that is not a slot, a field of the wrong type) TypeError, on which
    the caller takes the Python path. It keeps no reference and changes nothing it is given.

Built by ``pip install`` where a C compiler is found (``ext-modules`` in pyproject.toml, an
optional extension: without a compiler the install goes on and sgie uses the Python path,
which gives the same results, more slowly; tests/test_scoring_flatten.py holds the two equal).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <string.h>

#define FIELDS 5
static const char *const FIELD_NAMES[FIELDS] = {"id", "start", "end", "text", "label"};
enum { F_ID, F_START, F_END, F_TEXT, F_LABEL };

/* The offset of the object slot behind ``type.name``, or -1 with TypeError set. */
static Py_ssize_t slot_offset(PyObject *type, const char *name)
{
    PyObject *descr = PyObject_GetAttrString(type, name);
    if (descr == NULL) {
        return -1;
    }
    Py_ssize_t offset = -1;
    if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
        if (member->type == T_OBJECT_EX || member->type == T_OBJECT) {
            offset = member->offset;
        }
    }
    Py_DECREF(descr);
    if (offset < 0) {
        PyErr_Format(PyExc_TypeError, "'%s' of the entity type is not an object slot", name);
    }
    return offset;
}

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

/* The n strings joined, each followed by a NUL (U+0000), as one new str. */
static PyObject *joined(PyObject *const *strings, Py_ssize_t n)
{
    Py_ssize_t total = n;
    Py_UCS4 widest = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t length = PyUnicode_GET_LENGTH(strings[i]);
        if (length > PY_SSIZE_T_MAX - total) {
            return PyErr_NoMemory();
        }
        total += length;
        Py_UCS4 widest_here = PyUnicode_MAX_CHAR_VALUE(strings[i]);
        if (widest_here > widest) {
            widest = widest_here;
        }
    }
    PyObject *out = PyUnicode_New(total, widest);
    if (out == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(out);
    char *data = PyUnicode_DATA(out);
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = strings[i];
        Py_ssize_t length = PyUnicode_GET_LENGTH(s);
        if (PyUnicode_KIND(s) == kind) {
            memcpy(data + at * kind, PyUnicode_DATA(s), (size_t)(length * kind));
        }
        else if (PyUnicode_CopyCharacters(out, at, s, 0, length) < 0) {  /* widened */
            Py_DECREF(out);
            return NULL;
        }
        at += length;
        PyUnicode_WRITE(kind, data, at, 0);
        at++;
    }
    return out;
}

static PyObject *flatten(PyObject *module, PyObject *args)
{
    PyObject *docs, *type, *codes;
    if (!PyArg_ParseTuple(args, "OO!O!:flatten", &docs, &PyType_Type, &type, &PyDict_Type, &codes)) {
        return NULL;
    }
    Py_ssize_t offset[FIELDS];
    for (int f = 0; f < FIELDS; f++) {
        offset[f] = slot_offset(type, FIELD_NAMES[f]);
        if (offset[f] < 0) {
            return NULL;
        }
    }
    PyObject *seq = PySequence_Fast(docs, "the documents must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t documents = PySequence_Fast_GET_SIZE(seq), n = 0;
    PyObject **doc_items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t d = 0; d < documents; d++) {
        if (!PyTuple_CheckExact(doc_items[d]) && !PyList_CheckExact(doc_items[d])) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "a document's entities must be a tuple or a list");
            return NULL;
        }
        n += PySequence_Fast_GET_SIZE(doc_items[d]);
    }
    PyObject *columns[4] = {NULL, NULL, NULL, NULL};
    PyObject *ids = NULL, *texts = NULL, *result = NULL;
    PyObject **strings = PyMem_Malloc(sizeof(PyObject *) * (size_t)(n > 0 ? 2 * n : 1));
    if (strings == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    long long *values[4];
    for (int c = 0; c < 4; c++) {
        columns[c] = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(long long) * n);
        if (columns[c] == NULL) {
            goto done;
        }
        values[c] = (long long *)PyBytes_AS_STRING(columns[c]);
    }
    PyObject **id_of = strings, **text_of = strings + n;
    Py_ssize_t k = 0;
    /* No Python code runs in this loop (exact str keys in a dict, ints), so the borrowed
       references it keeps stay valid: the records hold them. */
    for (Py_ssize_t d = 0; d < documents; d++) {
        PyObject *items = doc_items[d];
        Py_ssize_t m = PySequence_Fast_GET_SIZE(items);
        PyObject **item = PySequence_Fast_ITEMS(items);
        for (Py_ssize_t i = 0; i < m; i++, k++) {
            PyObject *e = item[i];
            if (Py_TYPE(e) != (PyTypeObject *)type) {
                PyErr_SetString(PyExc_TypeError, "an item is not of the entity type");
                goto done;
            }
            PyObject *id = SLOT(e, offset[F_ID]), *start = SLOT(e, offset[F_START]),
                     *end = SLOT(e, offset[F_END]), *text = SLOT(e, offset[F_TEXT]),
                     *label = SLOT(e, offset[F_LABEL]);
            if (id == NULL || start == NULL || end == NULL || text == NULL || label == NULL
                || !PyUnicode_CheckExact(id) || !PyUnicode_CheckExact(text)
                || !PyUnicode_CheckExact(label) || !PyLong_Check(start) || !PyLong_Check(end)) {
                PyErr_SetString(PyExc_TypeError, "an entity field is unset or of another type");
                goto done;
            }
            values[0][k] = d;
            values[1][k] = PyLong_AsLongLong(start);
            if (values[1][k] == -1 && PyErr_Occurred()) {
                goto done;
            }
            values[2][k] = PyLong_AsLongLong(end);
            if (values[2][k] == -1 && PyErr_Occurred()) {
                goto done;
            }
            PyObject *code = PyDict_GetItemWithError(codes, label);
            if (code == NULL) {
                if (!PyErr_Occurred()) {
                    PyErr_SetObject(PyExc_KeyError, label);
                }
                goto done;
            }
            values[3][k] = PyLong_AsLongLong(code);
            if (values[3][k] == -1 && PyErr_Occurred()) {
                goto done;
            }
            id_of[k] = id;
            text_of[k] = text;
        }
    }
    ids = joined(id_of, n);
    if (ids == NULL) {
        goto done;
    }
    texts = joined(text_of, n);
    if (texts == NULL) {
        goto done;
    }
    result = PyTuple_Pack(6, columns[0], columns[1], columns[2], columns[3], ids, texts);
done:
    PyMem_Free(strings);
    for (int c = 0; c < 4; c++) {
        Py_XDECREF(columns[c]);
    }
    Py_XDECREF(ids);
    Py_XDECREF(texts);
    Py_DECREF(seq);
    return result;
}

static PyMethodDef methods[] = {
    {"flatten", flatten, METH_VARARGS,
     "flatten(docs, entity_type, codes) -> (doc, start, end, code, joined_ids, joined_texts)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "sgie.scoring._flatten",
    "The compiled kernel of sgie.scoring.flatten (see _flatten.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__flatten(void)
{
    return PyModule_Create(&module);
}
