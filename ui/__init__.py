"""The Streamlit front end: thin pages over cached read-only loaders."""
