"""Each framework's own files, as data: one module per framework, named after it, holding `ALWAYS` (the files
every project of that framework has) and `WHEN` (the files that answers bring). `<pkg>` is the package name."""
