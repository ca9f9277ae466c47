case ";${PROMPT_COMMAND-};" in
    *";__venvoy_auto;"*) ;;
    *) PROMPT_COMMAND="__venvoy_auto${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
