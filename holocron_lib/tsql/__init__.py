"""tsql"""
