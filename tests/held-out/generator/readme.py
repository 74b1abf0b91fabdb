def write_readme(index, path):
    pass
