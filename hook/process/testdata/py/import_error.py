import no_such_module_for_parley


def lambda_handler(event, context):
    return {}
